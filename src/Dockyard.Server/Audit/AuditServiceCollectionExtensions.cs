using Dockyard.Server.Coordination;
using Dockyard.Server.Data;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Audit;

internal static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// The audit trail: writer, pull batching, SIEM sinks, retention, verify and export. Hosted services are
    /// registered in this order so that on shutdown the pull writer drains first, then the sinks.
    /// </summary>
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section);
        services.AddHttpContextAccessor();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TrustedProxies>();
        services.TryAddSingleton<AuditMetrics>();
        services.TryAddSingleton<AuditSinkCursors>();
        services.TryAddSingleton(provider => new AuditStream(
            [.. Sinks(provider)],
            provider.GetRequiredService<AuditSinkCursors>(),
            SinkLeases(provider),
            provider.GetRequiredService<IOptions<AuditOptions>>(),
            provider.GetRequiredService<IOptions<CoordinationOptions>>().Value.LeaseDuration / 3,
            provider.GetRequiredService<AuditMetrics>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<AuditStream>>()));
        services.TryAddSingleton<AuditWriter>();
        services.TryAddSingleton<AuditTrail>();
        services.TryAddSingleton<AuditPullWriter>();
        services.TryAddSingleton<AuditPruner>();
        services.TryAddSingleton<AuditVerifier>();
        services.TryAddSingleton<AuditExporter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRepositoryCreationObserver, RepositoryCreationAuditor>());
        services.TryAddSingleton<AuditedOperations>();
        services.TryAddSingleton<RejectedCredentialAudit>();
        services.TryAddSingleton<RejectedCredentialFlusher>();
        services.AddHostedService(provider => provider.GetRequiredService<AuditStream>());
        services.AddHostedService(provider => provider.GetRequiredService<AuditPullWriter>());
        services.AddHostedService(provider => provider.GetRequiredService<AuditPruner>());
        services.AddHostedService(provider => provider.GetRequiredService<RejectedCredentialFlusher>());
        return services;
    }

    /// <summary>With database leases (replicas), each sink is delivered by the replica holding its lease; else by this process.</summary>
    private static Func<string, CancellationToken, ValueTask<IAsyncDisposable?>>? SinkLeases(IServiceProvider provider) =>
        CoordinationServiceCollectionExtensions.EffectiveMode(provider) == LockMode.Database
            ? provider.GetRequiredService<DatabaseRegistryLocks>().TryAcquireAsync
            : null;

    private static IEnumerable<IAuditSink> Sinks(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<AuditOptions>>();
        if (!string.IsNullOrWhiteSpace(options.Value.Syslog.Host))
        {
            yield return new AuditSyslogSink(options);
        }

        if (!string.IsNullOrWhiteSpace(options.Value.File.Path))
        {
            yield return new AuditFileSink(options);
        }
    }
}
