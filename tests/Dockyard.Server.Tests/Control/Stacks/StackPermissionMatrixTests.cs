using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Control.Stacks;

/// <summary>
/// Roles × stack operations through the real API. Per role: a stack deployed by the administrator into
/// <c>/stackmatrix/&lt;run&gt;/&lt;role&gt;</c>, a user granted that role there (and read on the image's repository, so only
/// the collection role decides); every row of <see cref="Table"/> runs in order and must answer the cell's status
/// (CollectionRole: view-only views, restricted-control and full-control deploy and remove, scheduler holds no stack
/// operation, none sees nothing). "list" answers 200 when the stack is in the caller's list, 404 when it is not.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class StackPermissionMatrixTests(SwarmFixture swarm)
{
    private static readonly string[] Roles = ["none", "view-only", "restricted-control", "scheduler", "full-control"];

    private static readonly (string Operation, Func<HttpClient, string, string, Task<HttpStatusCode>> Perform, int[] Expected)[] Table =
    [
        ("list", ListAsync, [404, 200, 200, 404, 200]),
        ("get", (client, stack, _) => StatusAsync(client.GetAsync($"/api/v1/stacks/{stack}")), [404, 200, 200, 404, 200]),
        ("deploy (update)", (client, stack, compose) => StatusAsync(client.PutAsJsonAsync($"/api/v1/stacks/{stack}", StackTestKit.Body(stack, compose + "\n# v2\n"))), [404, 403, 200, 404, 200]),
        ("scale", (client, stack, _) => StatusAsync(client.PostAsJsonAsync($"/api/v1/stacks/{stack}/services/app/scale", new { replicas = 0 })), [404, 403, 200, 404, 200]),
        ("rollback", (client, stack, _) => StatusAsync(client.PostAsJsonAsync($"/api/v1/stacks/{stack}/rollback", new { revision = 1 })), [404, 403, 200, 404, 200]),
        ("remove", (client, stack, _) => StatusAsync(client.DeleteAsync($"/api/v1/stacks/{stack}")), [404, 403, 200, 404, 200]),
    ];

    [Fact]
    public async Task Every_role_gets_the_status_of_its_cell()
    {
        var server = await swarm.DockyardAsync();
        var admin = await server.AdminAsync();
        var image = await StackTestKit.ImageAsync(swarm, server);
        var run = Guid.NewGuid().ToString("N")[..8];
        var compose = $$"""
            services:
              app:
                image: {{image}}
                command: ["/bin/busybox", "sleep", "600"]
                networks: [hostnet]
                deploy:
                  replicas: 1
            networks:
              hostnet:
                external: true
                name: host
            """;
        var stacks = Roles.ToDictionary(r => r, r => "mx" + run + r.Replace("-", string.Empty, StringComparison.Ordinal)[..4]);
        try
        {
            foreach (var role in Roles)
            {
                using var deployed = await StackTestKit.DeployAsync(admin, stacks[role], compose, collection: $"/stackmatrix/{run}/{role}");
                await ProblemAssert.StatusAsync(HttpStatusCode.Created, deployed);
            }

            var failures = new List<string>();
            for (var column = 0; column < Roles.Length; column++)
            {
                var role = Roles[column];
                var user = $"sm{run}{column}";
                var (_, client) = await server.UserAsync(user);
                using (var grant = await admin.PostAsJsonAsync("/api/v1/grants", new { subjectKind = "user", subject = user, role, collection = $"/stackmatrix/{run}/{role}" }))
                {
                    await ProblemAssert.StatusAsync(HttpStatusCode.Created, grant);
                }

                using (var read = await admin.PutAsJsonAsync($"/api/v1/repositories/admin/stacks/permissions/users/{user}", new { role = "read" }))
                {
                    Assert.True(read.IsSuccessStatusCode, await read.Content.ReadAsStringAsync());
                }

                foreach (var (operation, perform, expected) in Table)
                {
                    var status = (int)await perform(client, stacks[role], compose);
                    if (status != expected[column])
                    {
                        failures.Add($"{role} × {operation}: {status}, expected {expected[column]}");
                    }
                }
            }

            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }
        finally
        {
            await StackTestKit.RemoveAsync(swarm, [.. stacks.Values]);
        }
    }

    private static async Task<HttpStatusCode> ListAsync(HttpClient client, string stack, string compose)
    {
        using var response = await client.GetAsync("/api/v1/stacks");
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return response.StatusCode;
        }

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("items").EnumerateArray().Any(s => s.GetProperty("name").GetString() == stack) ? HttpStatusCode.OK : HttpStatusCode.NotFound;
    }

    private static async Task<HttpStatusCode> StatusAsync(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        return response.StatusCode;
    }
}
