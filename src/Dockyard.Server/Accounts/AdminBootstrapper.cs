using Dockyard.Server.Audit;
using Dockyard.Server.Errors;
using Dockyard.Server.Identity;

namespace Dockyard.Server.Accounts;

/// <summary>
/// First start: when the database holds no user at all, creates <c>admin</c> as system administrator with the
/// password from <c>DOCKYARD_ADMIN_PASSWORD</c>, or with a generated one written to <c>&lt;data&gt;/initial-admin-password</c>
/// (0600) and announced on the console (<see cref="BootstrapConsole"/>). There is no default password. The creation is
/// audited by <see cref="UserService"/> (<c>user.create</c> by <c>system</c>; details add that it was the bootstrap and
/// where the password came from, never the password).
/// </summary>
/// <remarks>
/// It does not hold up the start: <c>dockyard serve</c> begins it as soon as the services exist, it runs after the
/// database initializer, and the server may already listen while it finishes (a first start's password hash alone
/// costs ~0.3 s). Password sign-ins wait for it (<see cref="LocalAccountsGate"/>); a failure stops the server. A
/// configured password that breaks the policy matters only while the administrator is to be created: then the start
/// waits for the bootstrap and fails before the server listens; on later starts the variable is ignored.
/// </remarks>
internal sealed partial class AdminBootstrapper(
    Data.DatabaseInitializer database,
    UserService users,
    IConfiguration configuration,
    BootstrapConsole console,
    Microsoft.Extensions.Options.IOptions<Data.DataDirectoryOptions> dataDirectory,
    LocalAccountsGate localAccounts,
    IHostApplicationLifetime lifetime,
    ILogger<AdminBootstrapper> logger) : IHostedService
{
    public const string PasswordVariable = "DOCKYARD_ADMIN_PASSWORD";
    public const string AdminUsername = "admin";

    /// <summary>The file in the data directory that holds a generated first password (0600).</summary>
    public const string PasswordFileName = "initial-admin-password";

    private readonly Lock _gate = new();
    private Task? _bootstrap;

    /// <summary>Starts the bootstrap in the background once the database is ready (once); completes when done.</summary>
    public Task Begin()
    {
        lock (_gate)
        {
            return _bootstrap ??= Task.Run(async () =>
            {
                try
                {
                    await database.Begin();

                    // Leave the thread that completed the database task: it would otherwise run this whole bootstrap
                    // (SQLite's async calls complete synchronously, the hash is CPU) before its next continuation,
                    // the start that waits for the database.
                    await Task.Yield();
                    await BootstrapAsync(CancellationToken.None);
                }
                finally
                {
                    localAccounts.Open();
                }
            });
        }
    }

    /// <summary>True when the bootstrap failed (the server was stopped because of it).</summary>
    public bool Failed => _bootstrap is { IsFaulted: true };

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var bootstrap = Begin();
        if (ConfiguredPasswordProblem() is not null)
        {
            // Unacceptable only if the administrator is still to be created, which takes the database to know: wait
            // for the bootstrap, so that a first start fails before the server listens and a later one goes on.
            await bootstrap.WaitAsync(cancellationToken);
        }

        _ = bootstrap.ContinueWith(
            failed =>
            {
                LogBootstrapFailed(failed.Exception!.GetBaseException());
                lifetime.StopApplication();
            },
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);
    }

    /// <summary>
    /// Waits for a bootstrap still under way (a stop asked for during start-up): the services it writes through, the
    /// group commit first, are disposed once the hosted services have stopped.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task? bootstrap;
        lock (_gate)
        {
            bootstrap = _bootstrap;
        }

        if (bootstrap is null)
        {
            return;
        }

        try
        {
            await bootstrap.WaitAsync(cancellationToken);
        }
        catch (Exception) when (bootstrap.IsFaulted || cancellationToken.IsCancellationRequested)
        {
            // A failure is logged by the continuation StartAsync attached; a stop that timed out goes on regardless.
        }
    }

    /// <summary>Creates the first administrator if there is no user; true when it did.</summary>
    public async Task<bool> BootstrapAsync(CancellationToken cancellationToken)
    {
        if (await users.AnyAsync(cancellationToken))
        {
            return false;
        }

        if (ConfiguredPasswordProblem() is { } problem)
        {
            throw new InvalidOperationException($"{PasswordVariable} is not an acceptable password: {problem}");
        }

        var configured = configuration[PasswordVariable];
        var generated = string.IsNullOrEmpty(configured);
        var password = generated ? PasswordPolicy.Generate() : configured!;

        // Stored before the account exists, so a password that could not be kept is never in use.
        var passwordFile = generated ? WritePasswordFile(password) : null;
        try
        {
            // Recorded by the service as user.create by the system, with these notes (never the password).
            var caller = Caller.System.With("bootstrap", true).With("password", generated ? "generated" : "environment");
            await users.CreateLocalAsync(caller, new NewUser(AdminUsername, password, DisplayName: "Administrator", IsAdmin: true), cancellationToken);
        }
        catch (DomainException e) when (e.Kind == DomainErrorKind.Conflict)
        {
            // Another replica created it first; this password is not the administrator's.
            if (passwordFile is not null)
            {
                File.Delete(passwordFile);
            }

            return false;
        }

        if (passwordFile is not null)
        {
            LogCreatedGenerated(AdminUsername, passwordFile);
            console.WriteOneTimePassword(AdminUsername, password, passwordFile);
        }
        else
        {
            LogCreatedFromEnvironment(AdminUsername, PasswordVariable);
        }

        return true;
    }

    /// <summary>Writes the generated password to a new 0600 file in the data directory (replacing an old one); returns its path.</summary>
    private string WritePasswordFile(string password)
    {
        var path = Path.Combine(dataDirectory.Value.FullPath, PasswordFileName);
        // Deleted first: an existing file would keep its mode, and a leftover may be anyone's.
        File.Delete(path);
        using var stream = new FileStream(path, Data.PrivateFiles.Options(FileMode.CreateNew, FileAccess.Write, FileShare.None));
        using var writer = new StreamWriter(stream);
        writer.WriteLine(password);
        return path;
    }

    private string? ConfiguredPasswordProblem() =>
        configuration[PasswordVariable] is { Length: > 0 } configured ? PasswordPolicy.Check(AdminUsername, configured) : null;

    [LoggerMessage(EventId = 3003, Level = LogLevel.Critical, Message = "Creating the first system administrator failed; stopping the server")]
    private partial void LogBootstrapFailed(Exception exception);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Created the first system administrator '{Username}' with a generated password, stored in {PasswordFile} (readable by this account only); sign in, change it and delete the file")]
    private partial void LogCreatedGenerated(string username, string passwordFile);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Created the first system administrator '{Username}' with the password from {Variable}")]
    private partial void LogCreatedFromEnvironment(string username, string variable);
}
