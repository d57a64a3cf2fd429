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
        services.TryAddSingleton(provider => new AuditStream(Sinks(provider), provider.GetRequiredService<AuditMetrics>(), provider.GetRequiredService<ILogger<AuditStream>>()));
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
