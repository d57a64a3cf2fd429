using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dockyard.Registry.Storage;
using Dockyard.Registry.Storage.Filesystem;
using Dockyard.Server.Tests.Audit;
using Dockyard.Server.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Server.Tests.Distribution;

/// <summary>
/// An unexpected exception inside a <c>/v2</c> handler: the client gets the OCI body with UNKNOWN and a request id
/// (never the exception's message), the audit trail a failed entry with that id, and the metrics a 500.
/// </summary>
public sealed class UnexpectedErrorTests
{
    [Fact]
    public async Task BlobGet_StorageThrows_Unknown500WithRequestIdAuditedAndCountedAs500()
    {
        var storage = Directory.CreateTempSubdirectory("dockyard-failing-storage-");
        try
        {
            var driver = new FailingReadStorageDriver(new FilesystemStorageDriver(storage.FullName));
            await using var server = await InProcessDockyard.StartAsync(configure: b => b.Services.AddSingleton<IStorageDriver>(driver));
            using var http = server.CreateClient();
            var client = new RegistryTestClient(http);
            var repository = RegistryTestClient.UniqueRepository("boom");
            var digest = await client.PushBlobAsync(repository, RandomNumberGenerator.GetBytes(1000));
            var before = (await AuditTestServer.EntriesAfterAsync(server.Services, 0)).LastOrDefault()?.Id ?? 0;

            driver.Failing = true;
            using var response = await http.GetAsync($"/v2/{repository}/blobs/{digest}");

            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.InternalServerError, $"{(int)response.StatusCode}: {body}");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var error = JsonDocument.Parse(body).RootElement.GetProperty("errors")[0];
            Assert.Equal("UNKNOWN", error.GetProperty("code").GetString());
            var requestId = error.GetProperty("detail").GetProperty("requestId").GetString();
            Assert.False(string.IsNullOrEmpty(requestId));
            Assert.Contains(requestId, error.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("secret-volume", body, StringComparison.Ordinal);
            Assert.DoesNotContain(nameof(InvalidOperationException), body, StringComparison.Ordinal);

            var entry = Assert.Single(await AuditTestServer.EntriesAfterAsync(server.Services, before));
            Assert.Equal(("registry.request.error", "failed", repository, requestId), (entry.Action, entry.Outcome, entry.Repository, entry.RequestId));
            Assert.Contains(requestId!, entry.Reason, StringComparison.Ordinal);
            Assert.DoesNotContain("secret-volume", entry.Reason, StringComparison.Ordinal);

            var metrics = await http.GetStringAsync("/metrics");
            Assert.Matches(new Regex("^dockyard_registry_requests_total\\{(?=[^}]*route=\"blob\")(?=[^}]*method=\"GET\")(?=[^}]*status=\"500\")[^}]*\\} 1", RegexOptions.Multiline), metrics);
            Assert.DoesNotMatch(new Regex("^dockyard_registry_requests_total\\{(?=[^}]*route=\"blob\")(?=[^}]*method=\"GET\")(?=[^}]*status=\"200\")", RegexOptions.Multiline), metrics);
        }
        finally
        {
            storage.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task BlobGet_StorageFailsAfterTheStatusWasSent_ConnectionAbortedAndCountedAs500()
    {
        var storage = Directory.CreateTempSubdirectory("dockyard-failing-storage-");
        try
        {
            var driver = new FailingReadStorageDriver(new FilesystemStorageDriver(storage.FullName));
            await using var server = await InProcessDockyard.StartAsync(configure: b => b.Services.AddSingleton<IStorageDriver>(driver));
            using var http = server.CreateClient();
            var client = new RegistryTestClient(http);
            var repository = RegistryTestClient.UniqueRepository("midstream");
            var digest = await client.PushBlobAsync(repository, RandomNumberGenerator.GetBytes(4 * 1024 * 1024));

            driver.FailingMidStream = true;
            using (var response = await http.GetAsync($"/v2/{repository}/blobs/{digest}", HttpCompletionOption.ResponseHeadersRead))
            {
                // The status line went out before the disk failed; the body cannot be completed.
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                await Assert.ThrowsAnyAsync<Exception>(() => response.Content.ReadAsByteArrayAsync());
            }

            var metrics = await http.GetStringAsync("/metrics");
            Assert.Matches(new Regex("^dockyard_registry_requests_total\\{(?=[^}]*route=\"blob\")(?=[^}]*method=\"GET\")(?=[^}]*status=\"500\")[^}]*\\} 1", RegexOptions.Multiline), metrics);
            Assert.DoesNotMatch(new Regex("^dockyard_registry_requests_total\\{(?=[^}]*route=\"blob\")(?=[^}]*method=\"GET\")(?=[^}]*status=\"200\")", RegexOptions.Multiline), metrics);
        }
        finally
        {
            storage.Delete(recursive: true);
        }
    }
}
