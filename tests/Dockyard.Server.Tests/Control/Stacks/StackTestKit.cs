using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Control.Stacks;

/// <summary>What the stack tests share: an image pushed to the shared Dockyard, deploy calls, waits and clean-up.</summary>
internal static class StackTestKit
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static (ApiTestServer Server, string Image)? _image;

    /// <summary>One busybox image pushed to the shared Dockyard as <c>admin/stacks:v1</c>, as written in Compose (<c>host:port/admin/stacks:v1</c>).</summary>
    public static async Task<string> ImageAsync(SwarmFixture swarm, ApiTestServer server)
    {
        await Gate.WaitAsync();
        try
        {
            if (_image is { } known && known.Server == server)
            {
                return known.Image;
            }

            await RegistryImagePusher.PushAsync(swarm, server, "admin/stacks", "v1");
            var image = $"{server.Server.BaseAddress.Authority}/admin/stacks:v1";
            _image = (server, image);
            return image;
        }
        finally
        {
            Gate.Release();
        }
    }

    public static Task<HttpResponseMessage> DeployAsync(HttpClient client, string name, string compose, object? extra = null, string? collection = null) =>
        client.PostAsJsonAsync("/api/v1/stacks", Body(name, compose, extra, collection));

    public static Dictionary<string, object?> Body(string name, string compose, object? extra = null, string? collection = null)
    {
        var body = new Dictionary<string, object?> { ["name"] = name, ["compose"] = compose, ["collection"] = collection };
        if (extra is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(extra).EnumerateObject())
            {
                body[property.Name] = property.Value;
            }
        }

        return body;
    }

    /// <summary>Waits until every service of the stack runs its desired tasks (per the API); returns the detail.</summary>
    public static async Task<JsonElement> RunningAsync(HttpClient client, string name, int services, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        var last = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync($"/api/v1/stacks/{name}");
            var detail = await ProblemAssert.StatusAsync(HttpStatusCode.OK, response);
            last = detail.GetRawText();
            var list = detail.GetProperty("services").EnumerateArray().ToList();
            if (list.Count == services && list.All(s => s.GetProperty("runningTasks").GetInt64() == s.GetProperty("desiredTasks").GetInt64()))
            {
                return detail;
            }

            await Task.Delay(500);
        }

        throw new InvalidOperationException($"stack {name} did not run {services} services in time: {last}");
    }

    /// <summary>Removes the stack from the swarm whatever Dockyard knows (clean-up).</summary>
    public static async Task RemoveAsync(SwarmFixture swarm, params string[] names)
    {
        foreach (var name in names)
        {
            await swarm.Manager.RunDockerUncheckedAsync("stack", "rm", name);
        }
    }

    /// <summary>The names of the swarm services labelled with the stack's namespace.</summary>
    public static async Task<string[]> ServiceNamesAsync(SwarmFixture swarm, string name) =>
        (await swarm.Manager.RunDockerAsync("service", "ls", "--filter", "label=com.docker.stack.namespace=" + name, "--format", "{{.Name}}")).StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal).ToArray();
}
