using System.Net;
using System.Text.Json;

namespace Dockyard.Server.Tests.Api;

/// <summary>Assertions on ProblemDetails responses.</summary>
internal static class ProblemAssert
{
    public static async Task<JsonElement> StatusAsync(HttpStatusCode expected, HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        if ((int)expected >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>400 naming <paramref name="field"/> among the validation errors.</summary>
    public static async Task InvalidAsync(string field, HttpResponseMessage response)
    {
        var problem = await StatusAsync(HttpStatusCode.BadRequest, response);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }
}
