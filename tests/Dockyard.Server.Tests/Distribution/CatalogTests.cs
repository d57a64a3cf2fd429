using System.Net;
using System.Text.Json;
using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Distribution;

/// <summary>
/// Exact-content assertions need a registry nobody else writes to, so each test starts its own server (and
/// database). Runs on SQLite and PostgreSQL.
/// </summary>
public abstract class CatalogTests(TestDatabase database)
{
    [Fact]
    public async Task Get_EmptyRegistry_ReturnsEmptyList()
    {
        await using var server = await InProcessDockyard.StartAsync(database: database);
        using var http = server.CreateClient();

        using var response = await http.GetAsync("/v2/_catalog");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await ReadAsync(response));
        Assert.False(response.Headers.Contains("Link"));
    }

    [Fact]
    public async Task Get_Paginated_ListsSortedRepositoriesWithLinkUntilExhausted()
    {
        await using var server = await InProcessDockyard.StartAsync(database: database);
        using var http = server.CreateClient();
        var client = new RegistryTestClient(http);
        string[] names = ["zeta", "alpha/one", "alpha", "beta/x/y", "alpha-two"];
        foreach (var name in names)
        {
            await client.PushBlobAsync(name, [1, 2, 3]);
        }

        using (var all = await http.GetAsync("/v2/_catalog"))
        {
            Assert.Equal(["alpha", "alpha-two", "alpha/one", "beta/x/y", "zeta"], await ReadAsync(all));
            Assert.False(all.Headers.Contains("Link"));
        }

        using (var first = await http.GetAsync("/v2/_catalog?n=2"))
        {
            Assert.Equal(["alpha", "alpha-two"], await ReadAsync(first));
            Assert.Equal("</v2/_catalog?n=2&last=alpha-two>; rel=\"next\"", first.Headers.GetValues("Link").Single());
        }

        using (var second = await http.GetAsync("/v2/_catalog?n=2&last=alpha-two"))
        {
            Assert.Equal(["alpha/one", "beta/x/y"], await ReadAsync(second));
            Assert.Equal("</v2/_catalog?n=2&last=beta%2Fx%2Fy>; rel=\"next\"", second.Headers.GetValues("Link").Single());
        }

        using (var third = await http.GetAsync("/v2/_catalog?n=2&last=beta%2Fx%2Fy"))
        {
            Assert.Equal(["zeta"], await ReadAsync(third));
            Assert.False(third.Headers.Contains("Link"));
        }

        using (var zero = await http.GetAsync("/v2/_catalog?n=0"))
        {
            Assert.Equal(HttpStatusCode.OK, zero.StatusCode);
            Assert.Empty(await ReadAsync(zero));
        }

        using var invalid = await http.GetAsync("/v2/_catalog?n=many");
        await RegistryTestClient.AssertErrorAsync(invalid, HttpStatusCode.BadRequest, "PAGINATION_NUMBER_INVALID");
    }

    [Fact]
    public async Task Get_NamesWithSeparators_OrdersAndPagesByBytes()
    {
        await using var server = await InProcessDockyard.StartAsync(database: database);
        using var http = server.CreateClient();
        var client = new RegistryTestClient(http);
        foreach (var name in new[] { "a_b", "ab", "a-b", "a0", "a/b", "a.b", "a" })
        {
            await client.PushBlobAsync(name, [1, 2, 3]);
        }

        // Byte order: '-' < '.' < '/' < digits < '_' < letters (a linguistic collation sorts punctuation differently).
        using (var all = await http.GetAsync("/v2/_catalog"))
        {
            Assert.Equal(["a", "a-b", "a.b", "a/b", "a0", "a_b", "ab"], await ReadAsync(all));
        }

        using var page = await http.GetAsync("/v2/_catalog?n=3&last=a.b");
        Assert.Equal(["a/b", "a0", "a_b"], await ReadAsync(page));
    }

    private static async Task<string[]> ReadAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("repositories").EnumerateArray().Select(r => r.GetString()!).ToArray();
    }
}
