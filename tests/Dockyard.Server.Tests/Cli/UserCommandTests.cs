using System.CommandLine;
using System.Text.RegularExpressions;
using Dockyard.Server.Accounts;
using Dockyard.Server.Cli;
using Dockyard.Server.Identity;
using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Cli;

public sealed partial class UserCommandTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("dockyard-user-cli-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task UserAdd_PasswordFromStdin_CreatesAdminThatCanLogIn()
    {
        var (exit, output) = await RunAsync("my-long-password-1\n", "user", "add", "alice", "--admin", "--email", "alice@example.com", "--password-stdin", "--data", _dataDirectory);

        Assert.True(exit == 0, output);
        Assert.Contains("Created user 'alice' (system administrator).", output, StringComparison.Ordinal);
        Assert.DoesNotContain("my-long-password-1", output, StringComparison.Ordinal);
        Assert.True(await CanLogInAsync("alice", "my-long-password-1"));
    }

    [Fact]
    public async Task UserAdd_NoPassword_GeneratesAndPrintsOne()
    {
        var (exit, output) = await RunAsync(string.Empty, "user", "add", "bob", "--data", _dataDirectory);
        var password = PrintedPassword().Match(output).Groups[1].Value;

        Assert.True(exit == 0, output);
        Assert.True(password.Length >= PasswordPolicy.MinLength, output);
        Assert.True(await CanLogInAsync("bob", password));
    }

    [Theory]
    [InlineData("short\n", "password: Must be at least 12")]
    [InlineData("carol\n", "password: Must be at least 12")]
    [InlineData("", "standard input is empty")]
    public async Task UserAdd_BadPassword_FailsWithMessage(string stdin, string message)
    {
        var (exit, output) = await RunAsync(stdin, "user", "add", "carol", "--password-stdin", "--data", _dataDirectory);

        Assert.NotEqual(0, exit);
        Assert.Contains(message, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserAdd_InvalidNameOrDuplicate_Fails()
    {
        var (badExit, badOutput) = await RunAsync(string.Empty, "user", "add", "Not_Valid!", "--data", _dataDirectory);
        await RunAsync(string.Empty, "user", "add", "dave", "--data", _dataDirectory);
        var (dupExit, dupOutput) = await RunAsync(string.Empty, "user", "add", "dave", "--data", _dataDirectory);

        Assert.Equal(1, badExit);
        Assert.Contains("username:", badOutput, StringComparison.Ordinal);
        Assert.Equal(1, dupExit);
        Assert.Contains("already exists", dupOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminResetPassword_Generated_ReplacesOldPassword()
    {
        await RunAsync("first-password-123\n", "user", "add", "erin", "--password-stdin", "--data", _dataDirectory);

        var (exit, output) = await RunAsync(string.Empty, "admin", "reset-password", "erin", "--data", _dataDirectory);
        var password = PrintedPassword().Match(output).Groups[1].Value;

        Assert.True(exit == 0, output);
        Assert.True(await CanLogInAsync("erin", password));
        Assert.False(await CanLogInAsync("erin", "first-password-123"));
    }

    [Fact]
    public async Task AdminResetPassword_FromStdin_SetsIt()
    {
        await RunAsync(string.Empty, "user", "add", "frank", "--data", _dataDirectory);

        var (exit, output) = await RunAsync("brand-new-password\n", "admin", "reset-password", "frank", "--password-stdin", "--data", _dataDirectory);

        Assert.True(exit == 0, output);
        Assert.DoesNotContain("brand-new-password", output, StringComparison.Ordinal);
        Assert.True(await CanLogInAsync("frank", "brand-new-password"));
    }

    [Fact]
    public async Task AdminResetPassword_UnknownUser_Fails()
    {
        var (exit, output) = await RunAsync(string.Empty, "admin", "reset-password", "nobody", "--data", _dataDirectory);

        Assert.Equal(1, exit);
        Assert.Contains("User 'nobody' not found.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminUnlock_ForgetsTheUsersFailedLogins_FromEveryAddress()
    {
        await RunAsync("gina-password-1\n", "user", "add", "gina", "--password-stdin", "--data", _dataDirectory);
        var address = System.Net.IPAddress.Parse("203.0.113.7");
        await using (var server = await InProcessDockyard.StartAsync(dataDirectory: _dataDirectory))
        {
            for (var i = 0; i < 12; i++)
            {
                await server.GetRequiredService<LoginThrottle>().RecordFailureAsync(LoginKeys.For(address, "gina"), CancellationToken.None);
                await server.GetRequiredService<LoginThrottle>().RecordFailureAsync(new LoginKeys(null, LoginThrottle.UserKey("other"), null), CancellationToken.None);
            }
        }

        var (exit, output) = await RunAsync(string.Empty, "admin", "unlock", "gina", "--data", _dataDirectory);

        Assert.True(exit == 0, output);
        Assert.Contains("'gina'", output, StringComparison.Ordinal);
        await using (var server = await InProcessDockyard.StartAsync(dataDirectory: _dataDirectory))
        {
            await using var db = await server.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Dockyard.Server.Data.DockyardDbContext>>().CreateDbContextAsync();
            var left = db.LoginThrottles.Select(t => t.Key).ToList();
            Assert.Equal([LoginThrottle.AddressKey(address), LoginThrottle.UserKey("other")], left.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task AdminUnlock_UnknownUser_Fails()
    {
        var (exit, output) = await RunAsync(string.Empty, "admin", "unlock", "nobody", "--data", _dataDirectory);

        Assert.Equal(1, exit);
        Assert.Contains("User 'nobody' not found.", output, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output)> RunAsync(string stdin, params string[] args)
    {
        var output = new StringWriter();
        var root = new RootCommand { UserCommand.Create(new StringReader(stdin)), AdminCommand.Create(new StringReader(stdin)) };
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = output });
        return (exit, output.ToString());
    }

    private async Task<bool> CanLogInAsync(string username, string password)
    {
        await using var server = await InProcessDockyard.StartAsync(dataDirectory: _dataDirectory);
        var result = await server.GetRequiredService<ICredentialAuthenticator>().AuthenticateAsync(username, password, CancellationToken.None);
        return result.Succeeded;
    }

    [GeneratedRegex(@"\(shown once\): (\S+)")]
    private static partial Regex PrintedPassword();
}
