using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Dockyard.Server.Api;
using Dockyard.Server.Identity;
using Dockyard.Server.Tests.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Server.Tests.Api;

/// <summary>
/// The management API's one error handler covers every route: an unexpected failure anywhere in <c>/api/v1</c> is a
/// 500 ProblemDetails without internals, and requests the framework cannot bind are 400 ProblemDetails.
/// </summary>
public sealed partial class ApiErrorTests
{
    [Fact]
    public async Task EveryRoute_UnexpectedException_Answers500ProblemDetailsWithoutInternals()
    {
        await using var server = await InProcessDockyard.StartAsync(
            configure: b => b.Services.AddSingleton<ICredentialAuthenticator, ThrowingCredentialAuthenticator>(),
            settings: new Dictionary<string, string?> { ["Dockyard:Auth:Enabled"] = "true" });
        using var http = server.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("alice:secret"u8.ToArray()));
        var routes = server.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith(ManagementApi.Prefix + "/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Pattern: e.RoutePattern.RawText!)))
            .Distinct()
            .ToList();
        Assert.True(routes.Count > 60, $"only {routes.Count} routes found");

        foreach (var (method, pattern) in routes)
        {
            // A repository sub-resource route ({**path:repositorypath(shape)}) gets a path of its shape, ids as 1, references as v1.
            var subresource = RepositoryPathRoute().Match(pattern);
            var path = subresource.Success
                ? pattern[..subresource.Index] + "acme/app/" + subresource.Groups["shape"].Value.Replace("{{id}}", "1", StringComparison.Ordinal).Replace("{{reference}}", "v1", StringComparison.Ordinal)
                : RouteParameter().Replace(pattern, m => m.Value.StartsWith("{**", StringComparison.Ordinal) ? "acme/app/webhooks" : m.Value.Contains(":long", StringComparison.Ordinal) ? "1" : "acme");
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            using var response = await http.SendAsync(request);

            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.InternalServerError, $"{method} {pattern}: {(int)response.StatusCode} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("\"requestId\"", body, StringComparison.Ordinal);
            Assert.DoesNotContain("10.0.0.7", body, StringComparison.Ordinal);
            Assert.DoesNotContain(nameof(InvalidOperationException), body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task MalformedBodiesAndValues_Answer400ProblemDetails_UnknownPaths404()
    {
        await using var server = await ApiTestServer.StartAsync();
        var admin = await server.AdminAsync();

        using (var response = await admin.PostAsync("/api/v1/users", new StringContent("{\"username\": ", Encoding.UTF8, "application/json")))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.BadRequest, response);
        }

        using (var response = await admin.PostAsync("/api/v1/orgs", new StringContent("[1,2]", Encoding.UTF8, "application/json")))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.BadRequest, response);
        }

        using (var response = await admin.GetAsync("/api/v1/repositories?page=abc"))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.BadRequest, response);
        }

        using (var response = await admin.GetAsync("/api/v1/no-such-thing"))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, response);
        }

        using (var response = await admin.DeleteAsync("/api/v1/orgs/acme/webhooks/not-a-number"))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, response);
        }
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"\{\*\*path:repositorypath\((?<shape>.*)\)\}$")]
    private static partial Regex RepositoryPathRoute();
}
