namespace Dockyard.Server.Accounts;

/// <summary>
/// First start: when the database holds no user at all, creates <c>admin</c> as system administrator with the
/// password from <c>DOCKYARD_ADMIN_PASSWORD</c>, or with a generated one printed once to the console. There is
/// no default password. Runs after the database initializer (<see cref="Begin"/> awaits it; <c>dockyard serve</c>
/// begins both early so a first start hashes the password while the endpoints are mapped). The
/// creation is audited (<c>user.create</c> by <c>system</c>, details say it was the bootstrap and where the password
/// came from, never the password).
/// </summary>
internal sealed partial class AdminBootstrapper(
    Data.DatabaseInitializer database,
    UserService users,
    Audit.AuditTrail audit,
    IConfiguration configuration,
    BootstrapConsole console,
    ILogger<AdminBootstrapper> logger) : IHostedService
{
    public const string PasswordVariable = "DOCKYARD_ADMIN_PASSWORD";
    public const string AdminUsername = "admin";

    private readonly Lock _gate = new();
    private Task? _bootstrap;

    /// <summary>Starts the bootstrap in the background once the database is ready (once); completes when done.</summary>
    public Task Begin()
    {
        lock (_gate)
        {
            return _bootstrap ??= Task.Run(async () =>
            {
                await database.Begin();
                await BootstrapAsync(CancellationToken.None);
            });
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Begin().WaitAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Creates the first administrator if there is no user; true when it did.</summary>
    public async Task<bool> BootstrapAsync(CancellationToken cancellationToken)
    {
        if (await users.AnyAsync(cancellationToken))
        {
            return false;
        }

        var configured = configuration[PasswordVariable];
        var generated = string.IsNullOrEmpty(configured);
        var password = generated ? PasswordPolicy.Generate() : configured!;
        if (!generated && PasswordPolicy.Check(AdminUsername, password) is { } problem)
        {
            throw new InvalidOperationException($"{PasswordVariable} is not an acceptable password: {problem}");
        }

        try
        {
            await users.CreateLocalAsync(new NewUser(AdminUsername, password, DisplayName: "Administrator", IsAdmin: true), cancellationToken);
        }
        catch (AccountException e) when (e.Kind == AccountErrorKind.Conflict)
        {
            // Another replica created it first.
            return false;
        }

        await audit.RecordAsync(
            new Audit.AuditEvent
            {
                Action = Audit.AuditActions.UserCreate,
                Actor = Audit.AuditActor.System,
                Resource = $"users/{AdminUsername}",
                Details = generated ? """{"bootstrap":true,"isAdmin":true,"password":"generated"}""" : """{"bootstrap":true,"isAdmin":true,"password":"environment"}""",
            },
            CancellationToken.None);

        if (generated)
        {
            LogCreatedGenerated(AdminUsername);
            console.WriteOneTimePassword(AdminUsername, password);
        }
        else
        {
            LogCreatedFromEnvironment(AdminUsername, PasswordVariable);
        }

        return true;
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Created the first system administrator '{Username}' with a generated password, printed once to the console")]
    private partial void LogCreatedGenerated(string username);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Created the first system administrator '{Username}' with the password from {Variable}")]
    private partial void LogCreatedFromEnvironment(string username, string variable);
}
