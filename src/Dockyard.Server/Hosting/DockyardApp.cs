using Dockyard.Server.Accounts;
using Dockyard.Server.Addressing;
using Dockyard.Server.Api;
using Dockyard.Server.Audit;
using Dockyard.Server.Authentication;
using Dockyard.Server.Coordination;
using Dockyard.Server.Data;
using Dockyard.Server.Distribution;
using Dockyard.Server.Health;
using Dockyard.Server.Identity;
using Dockyard.Server.Ldap;
using Dockyard.Server.Observability;
using Dockyard.Server.Policies;
using Dockyard.Server.Storage;
using Dockyard.Server.Tokens;
using Dockyard.Server.Ui;
using Dockyard.Server.Webhooks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Hosting;

/// <summary>Builds the web application: the table of contents of what the server is made of.</summary>
internal static partial class DockyardApp
{
    public const string DefaultUrls = "http://127.0.0.1:5000";

    private const string NoConfigReload = "--hostBuilder:reloadConfigOnChange=false";

    /// <summary>Creates the app. <paramref name="settings"/> override configuration (CLI flags, tests).</summary>
    /// <exception cref="DataRefusedException">The data directory cannot be created or written (<see cref="DataDirectoryCheck"/>).</exception>
    public static WebApplication Build(IReadOnlyDictionary<string, string?> settings, Action<WebApplicationBuilder>? configure = null)
    {
        // Settings are read once at start-up. Reload-on-change would put a recursive file watcher on the content
        // root (the working directory): on Linux that walks the whole tree at start-up (hundreds of ms, more in a
        // big directory) and keeps inotify watches on it.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [NoConfigReload] });
        SettingsFile.Apply(builder.Configuration);
        builder.Configuration.AddInMemoryCollection(settings);
        // The slim builder's Kestrel plus HTTPS endpoint configuration; not UseKestrel(), whose HTTP/3 (QUIC) set-up
        // probes for the native msquic library and cost ~50 ms of every start for a protocol Dockyard does not serve.
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Blobs can be many GiB and arrive in one request; Kestrel's 30 MB default is for forms.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
        });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrls);
        }

        KestrelTls.Configure(builder);
        var dataDirectory = AddServices(builder, DataDirectoryAccess.Write);

        // The slim builder pins the console formatter to "simple" after the configuration is bound; honour
        // Logging:Console:FormatterName (json, systemd) like the CLI verbs' host does. Simple stays the default.
        if (builder.Configuration["Logging:Console:FormatterName"] is { Length: > 0 } formatter)
        {
            builder.Services.Configure<ConsoleLoggerOptions>(console => console.FormatterName = formatter);
        }

        builder.Services.AddSingleton<ServerStart>();
        builder.Services.AddHostedService<SystemdNotifier>();
        builder.Services.AddDockyardAuthentication();
        builder.Services.AddManagementApi();
        builder.Services.AddWebUi();
        if (builder.Configuration.GetValue(IdleMemoryTrimmer.EnabledKey, defaultValue: true))
        {
            builder.Services.AddHostedService<IdleMemoryTrimmer>();
        }
        configure?.Invoke(builder);

        var app = builder.Build();
        _ = app.Services.GetRequiredService<ServerStart>();
        // The database set-up (EF model, migrations) starts now, on the second core, while the endpoints are mapped;
        // the hosted services await it before the server listens. A first start's administrator follows it and may
        // finish after the server listens (see AdminBootstrapper). Even resolving these services takes a while, so
        // that happens on the other core too.
        _ = Task.Run(() =>
        {
            app.Services.GetRequiredService<DatabaseInitializer>().Begin();
            app.Services.GetRequiredService<AdminBootstrapper>().Begin();
        });
        // Off by default and then not in the pipeline at all: a manifest GET pays nothing for it.
        if (app.Configuration.GetValue(AccessLog.AccessLogMiddleware.EnabledKey, defaultValue: false))
        {
            AccessLog.AccessLogMiddleware.Use(app);
        }

        // A Host header naming no allowed host is refused (400) before anything else runs (Addressing/PublicUrlRules).
        app.UseHostFiltering();
        // /auth/token and /api/v1 counted by route template (Observability/HttpRequestMetrics); /v2 counts itself.
        app.UseHttpRequestMetrics();
        // Who is calling, once per request, for every surface (HttpContext.User).
        app.UseAuthentication();
        app.UseManagementApiErrors();
        // Terminals (exec) are WebSockets; pings and timeouts are set per socket (Control/Exec/TerminalRelay.AcceptContext).
        app.UseWebSockets();
        app.MapHealth();
        app.MapDockyardMetrics(BuildInfo.Current.Version, BuildInfo.Current.Commit);
        app.MapRegistryApi();
        app.MapManagementApi();
        app.MapTokenEndpoints();
        app.MapOpenApi("/api/{documentName}/openapi.json");
        app.MapWebUi();

        // The route table (every endpoint's metadata and request delegate) is built when first used, i.e. inside the
        // first request; build it here instead, while the database set-up is still running on the other core.
        foreach (var source in ((IEndpointRouteBuilder)app).DataSources)
        {
            _ = source.Endpoints;
        }

        app.Lifetime.ApplicationStarted.Register(() => LogListening(app, dataDirectory));
        return app;
    }

    /// <summary>
    /// The same services without the web server, for CLI verbs that work on the data (reindex, …). The host is
    /// not started: background services stay idle; the verb calls what it needs.
    /// </summary>
    public static IHost BuildTool(IReadOnlyDictionary<string, string?> settings) => BuildTool(settings, DataDirectoryAccess.Write);

    /// <summary>
    /// As <see cref="BuildTool(IReadOnlyDictionary{string, string?})"/>, for a verb that needs <paramref name="access"/>
    /// to the data directory (checked first: <see cref="DataDirectoryCheck"/>).
    /// </summary>
    /// <exception cref="DataRefusedException">The data directory does not allow <paramref name="access"/>.</exception>
    public static IHost BuildTool(IReadOnlyDictionary<string, string?> settings, DataDirectoryAccess access)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [NoConfigReload] });
        SettingsFile.Apply(builder.Configuration);
        builder.Configuration.AddInMemoryCollection(settings);
        AddServices(builder, access);
        return builder.Build();
    }

    /// <summary>Each feature's registrations. They only add or replace their own services, so any order gives the same result.</summary>
    internal static readonly IReadOnlyList<Func<IServiceCollection, IServiceCollection>> Features =
    [
        DataServiceCollectionExtensions.AddDockyardData,
        StorageServiceCollectionExtensions.AddDockyardStorage,
        CoordinationServiceCollectionExtensions.AddCoordination,
        Identity.IdentityServiceCollectionExtensions.AddIdentityAndAccess,
        AccountsServiceCollectionExtensions.AddAccounts,
        LoginThrottlingServiceCollectionExtensions.AddLoginThrottling,
        TokenServiceCollectionExtensions.AddTokenAuthentication,
        LdapServiceCollectionExtensions.AddLdapDirectory,
        RegistryServiceCollectionExtensions.AddRegistry,
        PoliciesServiceCollectionExtensions.AddPolicies,
        WebhookServiceCollectionExtensions.AddWebhooks,
        AuditServiceCollectionExtensions.AddAudit,
        AddressingServiceCollectionExtensions.AddPublicUrl,
        Protection.ProtectionServiceCollectionExtensions.AddProtection,
        Control.ControlServiceCollectionExtensions.AddControl,
        Trust.TrustServiceCollectionExtensions.AddTrust,
        Search.SearchServiceCollectionExtensions.AddSearch,
        HealthServiceCollectionExtensions.AddHealth,
        ObservabilityServiceCollectionExtensions.AddObservability,
        ServerStatus.ServerStatusServiceCollectionExtensions.AddSystemStatus,
    ];

    private static DataDirectoryOptions AddServices(IHostApplicationBuilder builder, DataDirectoryAccess access)
    {
        EnvironmentSettingConflicts.ThrowIfAny(Environment.GetEnvironmentVariables());
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // Off entirely, not just quiet: while this category is enabled at any level, ASP.NET Core opens a logging
        // scope for every request (an AsyncLocal write that every await then carries) — 7 % of a manifest GET's CPU
        // in a profile. It only logs "request starting/finished"; failures are logged by Kestrel and Dockyard.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);

        var dataDirectory = new DataDirectoryOptions { Path = builder.Configuration[DataDirectoryOptions.Key] ?? "data" };
        // Before anything opens it: a wrong path, a read-only mount or another account's directory ends here in one sentence.
        var databaseFile = DataDirectoryCheck.SqliteDatabaseFile(
            builder.Configuration[$"{DatabaseOptions.Section}:Provider"], builder.Configuration[$"{DatabaseOptions.Section}:ConnectionString"], dataDirectory);
        DataDirectoryCheck.Run(dataDirectory.FullPath, access, databaseFile, DataDirectoryCheck.CurrentCommand());
        builder.Services.AddSingleton(Options.Create(dataDirectory));
        builder.Services.AddSingleton(new ProductVersion(BuildInfo.Current.Version));

        foreach (var addFeature in Features)
        {
            addFeature(builder.Services);
        }

        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        builder.Services.AddOpenApi("v1");
        return dataDirectory;
    }

    private static void LogListening(WebApplication app, DataDirectoryOptions dataDirectory)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        LogStarted(app.Logger, BuildInfo.Current.Version, BuildInfo.Current.ShortCommit, string.Join(", ", addresses), dataDirectory.FullPath);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Dockyard {Version} ({Commit}) listening on {Addresses}; data in {DataDirectory}")]
    private static partial void LogStarted(ILogger logger, string version, string commit, string addresses, string dataDirectory);
}
