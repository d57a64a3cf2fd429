using System.Net;
using System.Text.Json;
using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Distribution;

/// <summary>Tag listing and its pagination in ordinal order; runs on SQLite and PostgreSQL (one server per class).</summary>
public abstract class TagsListTests(TestDatabase database, SharedDockyard shared) : IAsyncLifetime
{
    private InProcessDockyard _server = null!;

    public async Task InitializeAsync() => _server = await shared.GetAsync(database);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Get_TagsList_ReturnsNameAndSortedTags()
    {
        var (client, repository) = await SetupAsync("v2", "a", "latest", "V1", "1.0");

        using var response = await client.Http.GetAsync($"/v2/{repository}/tags/list");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.False(response.Headers.Contains("Link"));
        var (name, tags) = await ReadAsync(response);
        Assert.Equal(repository, name);
        Assert.Equal(["1.0", "V1", "a", "latest", "v2"], tags);
    }

    [Fact]
    public async Task Get_MixedCaseAndPunctuation_OrdersAndPagesByBytes()
    {
        // Byte order, not a linguistic collation: digits < upper case < '_' < lower case, '-' < '.' < '_'.
        var (client, repository) = await SetupAsync("a_b", "a", "Z9", "a.b", "_x", "A", "9", "a-b");

        using (var all = await client.Http.GetAsync($"/v2/{repository}/tags/list"))
        {
            Assert.Equal(["9", "A", "Z9", "_x", "a", "a-b", "a.b", "a_b"], (await ReadAsync(all)).Tags);
        }

        using var page = await client.Http.GetAsync($"/v2/{repository}/tags/list?n=3&last=Z9");
        Assert.Equal(["_x", "a", "a-b"], (await ReadAsync(page)).Tags);
        Assert.Equal($"</v2/{repository}/tags/list?n=3&last=a-b>; rel=\"next\"", page.Headers.GetValues("Link").Single());
    }

    [Fact]
    public async Task Get_Paginated_FollowsLinkHeaderUntilExhausted()
    {
        var (client, repository) = await SetupAsync("t1", "t2", "t3", "t4", "t5");

        using (var first = await client.Http.GetAsync($"/v2/{repository}/tags/list?n=2"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal(["t1", "t2"], (await ReadAsync(first)).Tags);
            Assert.Equal($"</v2/{repository}/tags/list?n=2&last=t2>; rel=\"next\"", first.Headers.GetValues("Link").Single());
        }

        using (var second = await client.Http.GetAsync($"/v2/{repository}/tags/list?n=2&last=t2"))
        {
            Assert.Equal(["t3", "t4"], (await ReadAsync(second)).Tags);
            Assert.Equal($"</v2/{repository}/tags/list?n=2&last=t4>; rel=\"next\"", second.Headers.GetValues("Link").Single());
        }

        using var third = await client.Http.GetAsync($"/v2/{repository}/tags/list?n=2&last=t4");
        Assert.Equal(["t5"], (await ReadAsync(third)).Tags);
        Assert.False(third.Headers.Contains("Link"));
    }

    [Fact]
    public async Task Get_PageExactlyExhaustingTags_HasNoLink()
    {
        var (client, repository) = await SetupAsync("t1", "t2");

        using var response = await client.Http.GetAsync($"/v2/{repository}/tags/list?n=2");

        Assert.Equal(["t1", "t2"], (await ReadAsync(response)).Tags);
        Assert.False(response.Headers.Contains("Link"));
    }

    [Fact]
    public async Task Get_LastOnly_ReturnsTagsAfterLast()
    {
        var (client, repository) = await SetupAsync("a", "b", "c");

        using var response = await client.Http.GetAsync($"/v2/{repository}/tags/list?last=a");

        Assert.Equal(["b", "c"], (await ReadAsync(response)).Tags);
        Assert.False(response.Headers.Contains("Link"));
    }

    [Fact]
    public async Task Get_NZero_ReturnsEmptyList()
    {
        var (client, repository) = await SetupAsync("a", "b");

        using var response = await client.Http.GetAsync($"/v2/{repository}/tags/list?n=0");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty((await ReadAsync(response)).Tags);
        Assert.False(response.Headers.Contains("Link"));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1.5")]
    public async Task Get_InvalidN_Returns400PaginationNumberInvalid(string n)
    {
        var (client, repository) = await SetupAsync("a");

        using var response = await client.Http.GetAsync($"/v2/{repository}/tags/list?n={n}");

        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "PAGINATION_NUMBER_INVALID");
    }

    [Fact]
    public async Task Get_UnknownRepository_Returns404NameUnknown()
    {
        var client = new RegistryTestClient(_server.CreateClient());

        using var response = await client.Http.GetAsync($"/v2/{RegistryTestClient.UniqueRepository("tags")}/tags/list");

        await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    private async Task<(RegistryTestClient Client, string Repository)> SetupAsync(params string[] tags)
    {
        var client = new RegistryTestClient(_server.CreateClient());
        var repository = RegistryTestClient.UniqueRepository("tags");
        var (json, _) = await client.PushImageAsync(repository, tags[0]);
        foreach (var tag in tags.Skip(1))
        {
            using var response = await client.PutManifestAsync(repository, tag, json, TestManifests.OciManifest);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        return (client, repository);
    }

    private static async Task<(string Name, string[] Tags)> ReadAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        return (root.GetProperty("name").GetString()!, root.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray());
    }
}
