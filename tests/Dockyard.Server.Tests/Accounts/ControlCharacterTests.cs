using System.Net;
using System.Net.Http.Json;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Dockyard.Server.Errors;
using Dockyard.Server.Tests.Api;

namespace Dockyard.Server.Tests.Accounts;

/// <summary>
/// Issue #14: a password of 20 NUL characters was accepted by <c>POST /api/v1/users</c>. Control characters are
/// refused in passwords, display names and descriptions (descriptions may span lines); names have a grammar that
/// already excludes them.
/// </summary>
public sealed class ControlCharacterTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync();
        _admin = await _server.AdminAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0")]
    [InlineData("a-long-password\u0007")]
    [InlineData("a-long-password\u009b")]
    [InlineData("a-long\tpassword")]
    public async Task CreateUser_PasswordWithControlCharacters_Answers400(string password)
    {
        using var response = await _admin.PostAsJsonAsync("/api/v1/users", new { username = "eve", password });

        var body = await ProblemAssert.StatusAsync(HttpStatusCode.BadRequest, response);
        Assert.Contains("password", body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateUser_DisplayNameWithControlCharacters_Answers400()
    {
        using var response = await _admin.PostAsJsonAsync("/api/v1/users", new { username = "eve", password = "a-long-password-1", displayName = "Eve\u001b[2J" });

        await ProblemAssert.StatusAsync(HttpStatusCode.BadRequest, response);
    }

    [Fact]
    public void PasswordPolicy_RefusesControlCharacters_AcceptsOtherUnicode()
    {
        Assert.NotNull(PasswordPolicy.Check("eve", new string('\0', 20)));
        Assert.Null(PasswordPolicy.Check("eve", "pässwörd-ß-日本語-ok"));
    }

    [Fact]
    public async Task Descriptions_WithControlCharacters_AreRefused_LineBreaksAreNot()
    {
        var organizations = _server.Get<OrganizationService>();
        var teams = _server.Get<TeamService>();
        var serviceAccounts = _server.Get<ServiceAccountService>();
        var owner = await _server.UserIdAsync(AdminBootstrapper.AdminUsername);
        await organizations.CreateAsync(Caller.System, "acme", "first line\r\nsecond line\tindented", null, owner, CancellationToken.None);

        await Assert.ThrowsAsync<DomainException>(() => organizations.CreateAsync(Caller.System, "evil", "red\u001b[31m", null, owner, CancellationToken.None));
        await Assert.ThrowsAsync<DomainException>(() => teams.CreateAsync(Caller.System, "acme", "devs", "nul\0", CancellationToken.None));
        await Assert.ThrowsAsync<DomainException>(() => serviceAccounts.CreateAsync(Caller.System, "acme", "ci", "bell\u0007", CancellationToken.None));
    }
}
