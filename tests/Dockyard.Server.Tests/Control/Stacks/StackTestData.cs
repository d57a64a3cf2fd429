using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dockyard.Server.Accounts;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Control.Stacks;

/// <summary>Stack rows written straight to the database and images pushed over <c>/v2</c>, for follow and hook tests without a swarm.</summary>
internal static class StackTestData
{
    /// <summary>A stack at revision 1 deployed by <paramref name="deployedBy"/>, with its pinned images and follows.</summary>
    public static async Task AddStackAsync(
        ApiTestServer server, string name, string deployedBy, IReadOnlyDictionary<string, string> images, params (string Service, string Repository, string Tag)[] follows)
    {
        await using var db = await server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        var stack = new StackEntity { Name = name, Collection = "/Shared/Private/" + deployedBy, Owner = deployedBy, CurrentRevision = 1, CreatedAt = now, UpdatedAt = now };
        db.Stacks.Add(stack);
        await db.SaveChangesAsync();
        db.StackRevisions.Add(new StackRevisionEntity
        {
            StackId = stack.Id,
            Number = 1,
            Files = "[]",
            Environment = "{}",
            Images = JsonSerializer.Serialize(images),
            Follow = JsonSerializer.Serialize(follows.Select(f => f.Service).Distinct().ToList()),
            CreatedBy = deployedBy,
            CreatedAt = now,
        });
        db.StackFollows.AddRange(follows.Select(f => new StackFollowEntity { StackId = stack.Id, Service = f.Service, Repository = f.Repository, Tag = f.Tag }));
        await db.SaveChangesAsync();
    }

    /// <summary>A <c>/v2</c> client with a registry token for <paramref name="repositories"/> as the administrator.</summary>
    public static async Task<RegistryTestClient> RegistryAsync(ApiTestServer server, params string[] repositories)
    {
        var http = server.Anonymous();
        var scopes = string.Concat(repositories.Select(r => $"&scope=repository:{r}:pull,push,delete"));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/auth/token?service=dockyard{scopes}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AdminBootstrapper.AdminUsername}:{ApiTestServer.AdminPassword}")));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", document.RootElement.GetProperty("token").GetString());
        return new RegistryTestClient(http);
    }

    /// <summary>Pushes a distinct image as repository:tag; returns its manifest digest.</summary>
    public static async Task<string> PushAsync(RegistryTestClient registry, string repository, string tag) =>
        (await registry.PushImageAsync(repository, tag, layerText: "layer " + Guid.NewGuid().ToString("N"))).Digest;
}
