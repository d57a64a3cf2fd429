using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Server.Access;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Dockyard.Server.Control.Stacks.Follow;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dockyard.Server.Tests.Control.Stacks;

/// <summary>
/// Redeploy hooks without a swarm (the redeploy is a recording <see cref="IStackRedeployer"/>; <see cref="StackFollowTests"/>
/// calls one against real services): managing them needs StackDeploy, a call needs only the token, wrong and unknown
/// answer the same 404, calls are rate-limited with 429 and Retry-After, raw paths never make a 500, and the token
/// shows up nowhere but in the creation answer.
/// </summary>
public sealed class StackHookCallTests : IAsyncLifetime
{
    private const int PerStack = 5;
    private readonly RecordingRedeployer _redeployer = new();
    private readonly CapturingLoggerProvider _logs = new();
    private ApiTestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await ApiTestServer.StartAsync(
            new Dictionary<string, string?>
            {
                ["Dockyard:Stacks:Hooks:CallsPerStackPerMinute"] = PerStack.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Dockyard:Stacks:Hooks:CallsPerAddressPerMinute"] = "1000",
                ["Logging:LogLevel:Dockyard"] = "Debug",
            },
            builder =>
            {
                builder.Services.AddSingleton<IStackRedeployer>(_redeployer);
                builder.Logging.AddProvider(_logs);
            });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_hook_redeploys_as_its_creator_wrong_and_unknown_look_the_same_and_the_token_is_shown_once_only()
    {
        var name = "hook" + Guid.NewGuid().ToString("N")[..8];
        await StackTestData.AddStackAsync(_server, name, AdminBootstrapper.AdminUsername, new Dictionary<string, string>());
        var admin = await _server.AdminAsync();
        var (_, stranger) = await _server.UserAsync("stranger" + name[4..]);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsync($"/api/v1/stacks/{name}/hooks", null)).StatusCode);

        using var created = await admin.PostAsync($"/api/v1/stacks/{name}/hooks", null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var hook = await created.Content.ReadFromJsonAsync<JsonElement>();
        var token = hook.GetProperty("token").GetString()!;
        var url = hook.GetProperty("url").GetString()!;
        Assert.Equal(43, token.Length);
        Assert.Equal(new Uri(_server.Server.BaseAddress, $"/hooks/stacks/{name}/{token}").AbsoluteUri, url);
        Assert.Equal(token[..8], hook.GetProperty("prefix").GetString());

        var listed = await admin.GetStringAsync($"/api/v1/stacks/{name}/hooks");
        Assert.Contains(token[..8], listed, StringComparison.Ordinal);
        Assert.DoesNotContain(token, listed, StringComparison.Ordinal);

        var anonymous = _server.Anonymous();
        using (var call = await anonymous.PostAsync(url, null))
        {
            Assert.Equal(HttpStatusCode.Accepted, call.StatusCode);
            var answer = await call.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(name, answer.GetProperty("stack").GetString());
        }

        var (caller, _, request) = await _redeployer.WaitForAsync(name);
        Assert.Equal(AdminBootstrapper.AdminUsername, caller.Principal.Name);
        Assert.Equal(PrincipalKind.User, caller.Principal.Kind);
        Assert.Equal(StackActingUser.HookMethod, caller.Principal.AuthMethod);
        Assert.Null(request.Services);
        Assert.Equal(AuditActions.StackRedeploy, request.AuditAction);

        var wrongToken = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');
        using var wrong = await anonymous.PostAsync($"/hooks/stacks/{name}/{wrongToken}", null);
        using var unknown = await anonymous.PostAsync($"/hooks/stacks/nosuch{name}/{token}", null);
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(await unknown.Content.ReadAsStringAsync(), await wrong.Content.ReadAsStringAsync());

        var hooks = JsonDocument.Parse(listed).RootElement.GetProperty("items");
        var id = hooks[0].GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/stacks/{name}/hooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsync(url, null)).StatusCode);

        using var export = await admin.GetAsync("/api/v1/audit/export?format=jsonl");
        var audit = await export.Content.ReadAsStringAsync();
        Assert.Contains(AuditActions.StackHookCreate, audit, StringComparison.Ordinal);
        Assert.Contains(AuditActions.StackHookCall, audit, StringComparison.Ordinal);
        Assert.Contains(AuditActions.StackHookDelete, audit, StringComparison.Ordinal);
        Assert.DoesNotContain(token, audit, StringComparison.Ordinal);
        Assert.Contains(_logs.Entries, e => e.EventId == 4681);
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Calls_over_the_stack_limit_get_429_with_Retry_After()
    {
        var name = "limit" + Guid.NewGuid().ToString("N")[..8];
        await StackTestData.AddStackAsync(_server, name, AdminBootstrapper.AdminUsername, new Dictionary<string, string>());
        var anonymous = _server.Anonymous();
        var guess = new string('x', 43);
        for (var i = 0; i < PerStack; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsync($"/hooks/stacks/{name}/{guess}", null)).StatusCode);
        }

        using var limited = await anonymous.PostAsync($"/hooks/stacks/{name}/{guess}", null);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After names a wait");
    }

    [Theory]
    [InlineData("/hooks/stacks/../stacks/x/{token}")]
    [InlineData("/hooks/stacks/%2e%2e/{token}")]
    [InlineData("/hooks/stacks/%2e%2e/%2e%2e")]
    [InlineData("/hooks/stacks/x/%2e%2e%2f%2e%2e%2fapi")]
    [InlineData("/hooks/stacks/x/..%2F{token}")]
    [InlineData("/hooks/stacks/X%00/{token}")]
    [InlineData("/hooks/stacks//{token}")]
    [InlineData("/hooks/stacks/x/{token}/extra")]
    [InlineData("/hooks/stacks/x/{long}")]
    [InlineData("/hooks/stacks/{long}/{token}")]
    [InlineData("/hooks/stacks/x/%ff%fe")]
    [InlineData("/hooks/%2e%2e/api/v1/users")]
    public async Task Raw_hook_paths_never_fail_with_500_nor_redeploy(string template)
    {
        var target = template.Replace("{token}", new string('t', 43), StringComparison.Ordinal).Replace("{long}", new string('a', 4000), StringComparison.Ordinal);
        var response = await RawHttp.SendAsync(_server.Server.BaseAddress, "POST", target);
        Assert.True((int)response.Status is >= 400 and < 500, $"{target[..Math.Min(80, target.Length)]} answered {(int)response.Status}");
    }
}
