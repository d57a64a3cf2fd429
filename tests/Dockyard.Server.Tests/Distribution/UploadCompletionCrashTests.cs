using System.Net;
using System.Security.Cryptography;
using Dockyard.Registry.Storage;
using Dockyard.Registry.Storage.Filesystem;
using Dockyard.Server.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Server.Tests.Distribution;

/// <summary>
/// A replica that dies while completing an upload, right after the data moved to the blob path: the client's
/// retried PUT (nginx re-sends an idempotent PUT to another replica) must finish the completion (201, the blob linked),
/// never DIGEST_INVALID for an upload that now looks empty (found by the replica cluster test on S3) nor
/// BLOB_UPLOAD_UNKNOWN (docker 20.10 does not start the layer over after a failed completing PUT: the push fails).
/// </summary>
public sealed class UploadCompletionCrashTests
{
    [Fact]
    public async Task Complete_RetriedAfterACrashPastTheMove_FinishesTheCompletion()
    {
        var storage = Directory.CreateTempSubdirectory("dockyard-crash-storage-");
        try
        {
            await using var server = await InProcessDockyard.StartAsync(configure: b =>
                b.Services.AddSingleton<IStorageDriver>(new CrashAfterMoveStorageDriver(new FilesystemStorageDriver(storage.FullName))));
            using var http = server.CreateClient();
            var client = new RegistryTestClient(http);
            var repository = RegistryTestClient.UniqueRepository("crash");
            var content = RandomNumberGenerator.GetBytes(100_000);
            var digest = RegistryTestClient.DigestOf(content);

            var location = await client.StartUploadAsync(repository);
            using (var patch = await client.PatchAsync(location, content, 0))
            {
                Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
            }

            var complete = RegistryTestClient.WithQuery(location, $"digest={digest}");
            using (var crashed = await client.SendAsync(HttpMethod.Put, complete))
            {
                Assert.True((int)crashed.StatusCode >= 500, $"the simulated crash answered {(int)crashed.StatusCode}");
            }

            using (var retried = await client.SendAsync(HttpMethod.Put, complete))
            {
                Assert.True(retried.StatusCode == HttpStatusCode.Created, $"retried PUT: {(int)retried.StatusCode} {await retried.Content.ReadAsStringAsync()}");
                Assert.Equal(digest, retried.Headers.GetValues("Docker-Content-Digest").Single());
            }

            // The session has ended now: a third PUT (or a PUT naming another digest) finds nothing.
            using (var third = await client.SendAsync(HttpMethod.Put, complete))
            {
                await RegistryTestClient.AssertErrorAsync(third, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
            }

            using var get = await http.GetAsync($"/v2/{repository}/blobs/{digest}");
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal(digest, RegistryTestClient.DigestOf(await get.Content.ReadAsByteArrayAsync()));
        }
        finally
        {
            storage.Delete(recursive: true);
        }
    }
}
