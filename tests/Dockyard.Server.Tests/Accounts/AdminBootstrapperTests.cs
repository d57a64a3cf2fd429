using System.Net;
using System.Text.RegularExpressions;
using Dockyard.Server.Accounts;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Server.Tests.Accounts;

public sealed partial class AdminBootstrapperTests
{
    [Fact]
    public async Task FirstStart_WithEnvironmentPassword_CreatesAdminWithThatPasswordAndPrintsNothing()
    {
        var console = new StringWriter();
        await using var server = await InProcessDockyard.StartAsync(
            b => b.Services.AddSingleton(new BootstrapConsole(console)),
            settings: new Dictionary<string, string?> { [AdminBootstrapper.PasswordVariable] = ApiTestServer.AdminPassword });
        using var client = Basic(server, "admin", ApiTestServer.AdminPassword);

        using var me = await client.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Contains("\"isAdmin\":true", await me.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, console.ToString());
    }

    [Fact]
    public async Task FirstStart_WithoutEnvironmentPassword_PrintsGeneratedPasswordOnceThatWorks()
    {
        var console = new StringWriter();
        await using var server = await InProcessDockyard.StartAsync(b => b.Services.AddSingleton(new BootstrapConsole(console)));
        var printed = console.ToString();
        var password = PasswordLine().Match(printed).Groups[1].Value;

        Assert.Contains("will not be shown again", printed, StringComparison.Ordinal);
        Assert.True(password.Length >= PasswordPolicy.MinLength, printed);
        using (var client = Basic(server, "admin", password))
        using (var me = await client.GetAsync("/api/v1/me"))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }

        await server.RestartAsync();
        Assert.Equal(printed, console.ToString());
    }

    [Fact]
    public async Task FirstStart_WithTooShortEnvironmentPassword_FailsToStart()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => InProcessDockyard.StartAsync(
            settings: new Dictionary<string, string?> { [AdminBootstrapper.PasswordVariable] = "short" }));

        Assert.Contains(AdminBootstrapper.PasswordVariable, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("short", error.Message.Replace(AdminBootstrapper.PasswordVariable, string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LaterStart_WithTooShortEnvironmentPassword_StartsBecauseTheAdministratorExists()
    {
        using var data = new Infrastructure.TempDirectory("bootstrap");
        await using (await InProcessDockyard.StartAsync(
            dataDirectory: data.Path,
            settings: new Dictionary<string, string?> { [AdminBootstrapper.PasswordVariable] = ApiTestServer.AdminPassword }))
        {
        }

        // The variable is left in the unit file after the first start; it only mattered for creating the administrator.
        await using var restarted = await InProcessDockyard.StartAsync(
            dataDirectory: data.Path,
            settings: new Dictionary<string, string?> { [AdminBootstrapper.PasswordVariable] = "short" });
        using var client = Basic(restarted, "admin", ApiTestServer.AdminPassword);
        using var me = await client.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task FirstStart_GeneratedPassword_IsStoredInA0600FileInTheDataDirectory()
    {
        var console = new StringWriter();
        await using var server = await InProcessDockyard.StartAsync(b => b.Services.AddSingleton(new BootstrapConsole(console, showPassword: false)));
        var file = Path.Combine(server.DataDirectory, AdminBootstrapper.PasswordFileName);
        var password = (await File.ReadAllTextAsync(file)).Trim();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.True(password.Length >= PasswordPolicy.MinLength, password);
        Assert.DoesNotContain(password, console.ToString(), StringComparison.Ordinal);
        Assert.Contains(file, console.ToString(), StringComparison.Ordinal);
        using var client = Basic(server, "admin", password);
        using var me = await client.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task Start_WhenUsersExist_CreatesNoAdmin()
    {
        var console = new StringWriter();
        await using var server = await InProcessDockyard.StartAsync(b => b.Services.AddSingleton(new BootstrapConsole(console)));
        var bootstrapper = server.GetRequiredService<AdminBootstrapper>();

        Assert.False(await bootstrapper.BootstrapAsync(CancellationToken.None));
        Assert.Single(await server.GetRequiredService<UserService>().ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Stop_WhileTheBootstrapRuns_WaitsForItToFinish()
    {
        // A SIGTERM during start-up stops the host while the background bootstrap still writes; the services it uses
        // (the group commit first) are disposed after the hosted services stop, so stopping must wait for it.
        using var console = new GatedWriter();
        var server = await InProcessDockyard.StartAsync(b => b.Services.AddSingleton(new BootstrapConsole(console)), waitForAdministrator: false);
        var bootstrapper = server.GetRequiredService<AdminBootstrapper>();
        Assert.True(await console.Entered.WaitAsync(TimeSpan.FromSeconds(60)), "the bootstrap never announced the password");

        var stopped = server.DisposeAsync().AsTask().ContinueWith(_ => console.Released, TaskScheduler.Default);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        console.Release();

        Assert.True(await stopped.WaitAsync(TimeSpan.FromSeconds(60)), "the host stopped before the bootstrap had finished");
        Assert.False(bootstrapper.Failed);
    }

    private static HttpClient Basic(InProcessDockyard server, string username, string password)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{username}:{password}")));
        return client;
    }

    /// <summary>A console whose first character blocks until <see cref="Release"/>: holds the bootstrap at its end.</summary>
    private sealed class GatedWriter : TextWriter
    {
        private readonly ManualResetEventSlim _gate = new();
        private int _entered;

        public SemaphoreSlim Entered { get; } = new(0);

        public bool Released => _gate.IsSet;

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public void Release() => _gate.Set();

        public override void Write(char value)
        {
            if (Interlocked.Exchange(ref _entered, 1) == 0)
            {
                Entered.Release();
            }

            _gate.Wait(TimeSpan.FromSeconds(60));
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _gate.Dispose();
                Entered.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>The generated password in what <see cref="BootstrapConsole"/> printed.</summary>
    [GeneratedRegex(@"password: (\S+)")]
    internal static partial Regex PasswordLine();
}
