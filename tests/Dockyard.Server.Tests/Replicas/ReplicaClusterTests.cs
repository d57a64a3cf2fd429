using System.Collections.Concurrent;
using System.Diagnostics;
using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Tests.Shared;
using Xunit.Abstractions;

namespace Dockyard.Server.Tests.Replicas;

/// <summary>
/// Scale-out verification (issue #6): three replicas sharing one PostgreSQL database and one Ceph RGW (S3) bucket
/// behind nginx round-robin. Real docker
/// push/pull through the balancer; then 20 chunking pushers of distinct images plus 5 pushers (3 chunking, 2 docker)
/// of the same tag, one replica killed with SIGKILL mid-way, every client retrying (bounded) until it succeeds;
/// afterwards the registry must be consistent (through the API, and `dockyard fsck` over the shared database and
/// bucket) and every tag must point at a manifest some client pushed to it. Token authentication is on throughout
/// (<see cref="ReplicaCluster"/>): docker logs in through the balancer, the HTTP pushers answer token challenges, and
/// a token one replica issued is used on the others.
/// </summary>
[Collection(ReplicaClusterCollection.Name)]
public sealed class ReplicaClusterTests(DockerDaemonFixture docker, PostgresFixture postgres, CephRgwFixture ceph, ITestOutputHelper output) : IDisposable
{
    private const int ReplicaCount = 3;
    private const int DistinctPushers = 20;
    private const int SameTagHttpPushers = 3;
    private const int SameTagDockerPushers = 2;
    private const int RoundsPerPusher = 3;
    private const int ChunkBytes = 256 * 1024;
    private const int KillAfterCompletedPushes = 20;
    private const int MaxDockerPushesPerPusher = 6;
    private const int MaxDockerAttempts = 4;
    private const string SharedRepository = "shared/app";
    private const string SharedTag = "latest";

    private readonly TempDirectory _work = new("replicas-e2e");

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Three_replicas_behind_nginx_serve_concurrent_pushes_through_a_kill_9()
    {
        var clock = Stopwatch.StartNew();
        await using var cluster = await ReplicaCluster.StartAsync(ReplicaCount, postgres, ceph);
        // The work's own bound, from when the cluster is up (start-up time is the machine's, see DockyardProcess).
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var lb = cluster.LoadBalancer;
        output.WriteLine($"{ReplicaCount} replicas ({string.Join(", ", cluster.Replicas.Select(r => r.Port))}) behind nginx at {lb.RegistryHost}, up in {clock.Elapsed.TotalSeconds:0.0} s");
        try
        {
            // 1. docker login, push, pull through the balancer (the token requests and the pushes land on different replicas).
            await docker.RunDockerAsync("login", "-u", ReplicaCluster.AdminUsername, "-p", ReplicaCluster.AdminPassword, lb.RegistryHost);
            var local = $"dockyard-replicas/busybox:{Guid.NewGuid():N}";
            await TestImages.BuildBusyboxImageAsync(docker, local, _work.Path);
            var remote = $"{lb.RegistryHost}/replicas/busybox:1.0";
            await Docker("tag", local, remote);
            var timer = Stopwatch.StartNew();
            var pushedDigest = TestImages.PushedDigest(await Docker("push", remote));
            output.WriteLine($"docker push through nginx: {timer.Elapsed.TotalMilliseconds:0} ms");
            await Docker("rmi", remote);
            timer.Restart();
            await Docker("pull", remote);
            output.WriteLine($"docker pull through nginx: {timer.Elapsed.TotalMilliseconds:0} ms");
            Assert.Equal(TestImages.BusyboxGreeting, (await Docker("run", "--rm", "--network", "none", remote)).StandardOutput.Trim());
            await Docker("rmi", remote);

            // A 9 KB Range header reaches a replica (nginx's default header buffers refuse it with its own 400).
            using (var ranged = new HttpRequestMessage(HttpMethod.Get, $"/v2/replicas/busybox/manifests/1.0"))
            using (var client = cluster.CreateClient(lb.BaseAddress, TimeSpan.FromSeconds(30)))
            {
                ranged.Headers.TryAddWithoutValidation("Range", "bytes=" + string.Join(',', Enumerable.Range(0, 1000).Select(i => $"{i}-{i}")));
                using var response = await client.SendAsync(ranged, deadline.Token);
                var body = await response.Content.ReadAsStringAsync(deadline.Token);
                Assert.False(body.Contains("Request Header Or Cookie Too Large", StringComparison.OrdinalIgnoreCase), body);
                Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            }

            // Re-hash cost: a 64 MiB blob in 8 MiB chunks, all chunks to one replica vs round-robin over all of them
            // (there every chunk lands where the running hash is not, and the stored prefix is hashed again).
            // Both direct (no nginx in the path), so the difference is the re-hashing alone.
            var oneReplica = await TimeChunkedUploadAsync(cluster, [cluster.Replicas[0].BaseAddress], seed: 0x6f6e65UL, deadline.Token);
            var roundRobin = await TimeChunkedUploadAsync(cluster, [.. cluster.Replicas.Select(r => r.BaseAddress)], seed: 0x72726eUL, deadline.Token);
            output.WriteLine($"64 MiB in 8 MiB chunks: one replica {oneReplica.TotalMilliseconds:0} ms, round-robin over {ReplicaCount} {roundRobin.TotalMilliseconds:0} ms");

            // Docker variants of one image for the same-tag pushers (distinct configs, hence distinct manifests).
            var variants = new List<string>();
            for (var i = 0; i < SameTagDockerPushers * 2; i++)
            {
                var variant = $"dockyard-replicas/variant:{i}-{Guid.NewGuid():N}";
                await docker.RunDockerAsync("import", "--change", $"LABEL variant={i}", "--change", $"CMD [\"/bin/busybox\",\"echo\",\"{TestImages.BusyboxGreeting}\"]", Path.Combine(_work.Path, "busybox-rootfs.tar"), variant);
                variants.Add(variant);
            }

            // 2. Concurrent pushes with a kill -9 in the middle.
            using var http = cluster.CreateClient(lb.BaseAddress, TimeSpan.FromSeconds(60));
            var pusher = new ChunkedPusher(http, ChunkBytes);
            var acknowledged = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
            var dockerPushed = new ConcurrentBag<string>();
            var completed = 0;
            var killed = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
            var pushing = new CancellationTokenSource();

            async Task DistinctAsync(int pusherIndex)
            {
                for (var round = 0; round < RoundsPerPusher; round++)
                {
                    var image = PushedImage.Create($"distinct/p{pusherIndex}", $"v{round}", (pusherIndex * 100) + round, 512 * 1024 + (pusherIndex * 8192) + round);
                    acknowledged[$"{image.Repository}:{image.Tag}"] = await pusher.PushAsync(image, deadline.Token);
                    Interlocked.Increment(ref completed);
                }
            }

            async Task SameTagHttpAsync(int pusherIndex)
            {
                for (var round = 0; round < RoundsPerPusher; round++)
                {
                    await pusher.PushAsync(PushedImage.Create(SharedRepository, SharedTag, 10_000 + (pusherIndex * 100) + round, 384 * 1024 + pusherIndex), deadline.Token);
                    Interlocked.Increment(ref completed);
                }
            }

            async Task SameTagDockerAsync(int pusherIndex)
            {
                // Keeps pushing (alternating two variants) while the chunking pushers run, so docker pushes overlap the kill.
                for (var push = 0; push < MaxDockerPushesPerPusher && (push < 2 || !pushing.IsCancellationRequested); push++)
                {
                    var target = $"{lb.RegistryHost}/{SharedRepository}:{SharedTag}";
                    await docker.RunDockerAsync("tag", variants[(pusherIndex * 2) + (push % 2)], target);
                    dockerPushed.Add(await DockerPushWithRetryAsync(target, deadline.Token));
                }
            }

            async Task KillerAsync()
            {
                while (Volatile.Read(ref completed) < KillAfterCompletedPushes && !pushing.IsCancellationRequested)
                {
                    await Task.Delay(20, deadline.Token);
                }

                var victim = cluster.Replicas[1];
                var pid = victim.Pid;
                await victim.KillAsync();
                killed.TrySetResult(clock.Elapsed);
                output.WriteLine($"kill -9 replica 1 (pid {pid}) after {Volatile.Read(ref completed)} completed pushes");
            }

            timer.Restart();
            var killer = KillerAsync();
            var httpPushers = Enumerable.Range(0, DistinctPushers).Select(DistinctAsync)
                .Concat(Enumerable.Range(0, SameTagHttpPushers).Select(SameTagHttpAsync)).ToList();
            var dockerPushers = Enumerable.Range(0, SameTagDockerPushers).Select(SameTagDockerAsync).ToList();
            await Task.WhenAll(httpPushers);
            pushing.Cancel();
            await Task.WhenAll(dockerPushers);
            await killer;
            var concurrentPhase = timer.Elapsed;

            var httpPushes = (DistinctPushers + SameTagHttpPushers) * RoundsPerPusher;
            output.WriteLine($"{httpPushes} chunked pushes + {dockerPushed.Count} docker pushes in {concurrentPhase.TotalSeconds:0.0} s; {pusher.RetriedFailures.Count} retried attempts:");
            foreach (var failure in pusher.RetriedFailures.Take(30))
            {
                output.WriteLine("  " + failure);
            }

            Assert.True(killed.Task.IsCompleted, "the replica was never killed: the pushes finished before the kill point");
            Assert.Equal(httpPushes, completed);
            Assert.Equal(DistinctPushers * RoundsPerPusher, acknowledged.Count);

            // 3. Still serving with one replica gone: docker pull through the balancer.
            await Docker("pull", remote);
            Assert.Equal(TestImages.BusyboxGreeting, (await Docker("run", "--rm", "--network", "none", remote)).StandardOutput.Trim());
            var pulled = (await Docker("inspect", "--format", "{{index .RepoDigests 0}}", remote)).StandardOutput.Trim();
            Assert.EndsWith("@" + pushedDigest, pulled, StringComparison.Ordinal);

            // 4. Consistency, and every tag points at something a client pushed to it.
            var (tags, problems) = await ConsistencyCheck.RunAsync(http, deadline.Token);
            Assert.True(problems.Count == 0, "inconsistent registry:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
            foreach (var (tag, digest) in acknowledged)
            {
                Assert.True(tags.TryGetValue(tag, out var actual), $"{tag} was pushed (acknowledged {digest}) but is not listed");
                Assert.Equal(digest, actual);
            }

            var sharedCandidates = pusher.Sent.GetValueOrDefault($"{SharedRepository}:{SharedTag}")?.ToHashSet() ?? [];
            sharedCandidates.UnionWith(dockerPushed);
            Assert.True(tags.TryGetValue($"{SharedRepository}:{SharedTag}", out var shared), $"{SharedRepository}:{SharedTag} is not listed");
            Assert.True(sharedCandidates.Contains(shared), $"{SharedRepository}:{SharedTag} points at {shared}, which no client pushed ({string.Join(", ", sharedCandidates)})");
            // 60 distinct tags, the shared tag, and the docker image of step 1 (the re-hash blobs are untagged).
            Assert.Equal(DistinctPushers * RoundsPerPusher + 1 + 1, tags.Count);

            // The balancer really spread the work: every replica took upload chunks, and consecutive requests crossed replicas.
            var log = lb.ReadAccessLog();
            var patchesByUpstream = log.Where(e => e.Method == "PATCH").GroupBy(e => e.Upstreams.Split(", ")[^1]).ToDictionary(g => g.Key, g => g.Count());
            output.WriteLine($"nginx: {log.Count} requests; PATCH per upstream: {string.Join(", ", patchesByUpstream.Select(p => $"{p.Key}={p.Value}"))}; 502s: {log.Count(e => e.Status == 502)}");
            Assert.Equal(ReplicaCount, patchesByUpstream.Count);

            // An upload session may only be unknown to a completing PUT that nginx re-sent after the killed replica had
            // (perhaps) completed it and died before answering: anything else is a lost session.
            var victim = $"127.0.0.1:{cluster.Replicas[1].Port}";
            var unknownSessions = log.Where(e => e.Method == "PUT" && e.Status == 404 && e.Path.Contains("/blobs/uploads/", StringComparison.Ordinal)).ToList();
            output.WriteLine($"nginx: {unknownSessions.Count} completing PUTs answered 404: {string.Join("; ", unknownSessions.Select(e => $"{e.Upstreams} -> {e.UpstreamStatuses}"))}");
            Assert.All(unknownSessions, e => Assert.True(e.Upstreams.StartsWith(victim + ", ", StringComparison.Ordinal), $"PUT {e.Path} answered 404 from {e.Upstreams} ({e.UpstreamStatuses}) without the killed replica {victim} having had it first"));

            await RunFsckAsync(cluster);
            output.WriteLine($"{cluster.Credentials.TokensIssued} tokens issued to the HTTP clients; total {clock.Elapsed.TotalSeconds:0.0} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || deadline.IsCancellationRequested)
        {
            throw new InvalidOperationException($"{ex.Message}{Environment.NewLine}{cluster.Diagnostics()}--- postgres ---{Environment.NewLine}{postgres.Log()}", ex);
        }
        finally
        {
            await docker.RunDockerUncheckedAsync("logout", lb.RegistryHost);
        }
    }

    /// <summary>
    /// A replica killed (SIGKILL) in the middle of a PATCH holds the upload's lease: another replica given the same upload
    /// must get it within seconds (heartbeat-renewed short leases), not after a long lease runs out, and continue from
    /// the last durable offset (what the previous, completed PATCH stored); the completed blob has the right digest.
    /// Before that, a manifest cached by both replicas and deleted through one must 404 on the other.
    /// </summary>
    [Fact]
    public async Task A_killed_replicas_upload_is_continued_by_another_replica_within_seconds()
    {
        await using var cluster = await ReplicaCluster.StartAsync(2, postgres, ceph);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            const long first = 1L << 20;
            const long second = 1L << 20;
            const ulong seed = 0x6b696c6cUL;
            var digest = DeterministicData.Sha256Digest(seed, 0, first + second);
            var survivor = cluster.Replicas[0].BaseAddress;
            var victim = cluster.Replicas[1];
            using var http = new HttpClient(cluster.Credentials, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(90) };

            // Manifest bodies are cached per replica: a manifest deleted through one replica 404s on the other, whose
            // cache still holds the body (the database lookup comes first), and its tag is gone there too.
            var image = PushedImage.Create("lease/cached", "v1", 0x636163, 4096);
            using (var client = cluster.CreateClient(survivor, TimeSpan.FromSeconds(60)))
            {
                await new ChunkedPusher(client, 4096).PushAsync(image, deadline.Token);
            }

            foreach (var replica in cluster.Replicas)
            {
                using var get = new HttpRequestMessage(HttpMethod.Get, new Uri(replica.BaseAddress, $"/v2/{image.Repository}/manifests/{image.Tag}"));
                get.Headers.Accept.ParseAdd(Hosting.TestManifests.OciManifest);
                using var response = await http.SendAsync(get, deadline.Token);
                Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(image.ManifestJson, await response.Content.ReadAsStringAsync(deadline.Token));
            }

            using (var delete = await http.DeleteAsync(new Uri(victim.BaseAddress, $"/v2/{image.Repository}/manifests/{image.ManifestDigest}"), deadline.Token))
            {
                Assert.Equal(System.Net.HttpStatusCode.Accepted, delete.StatusCode);
            }

            foreach (var reference in new[] { image.ManifestDigest, image.Tag })
            {
                using var get = new HttpRequestMessage(HttpMethod.Get, new Uri(survivor, $"/v2/{image.Repository}/manifests/{reference}"));
                get.Headers.Accept.ParseAdd(Hosting.TestManifests.OciManifest);
                using var response = await http.SendAsync(get, deadline.Token);
                Assert.True(response.StatusCode == System.Net.HttpStatusCode.NotFound, $"GET {reference} after the delete on the other replica: {(int)response.StatusCode}");
            }

            using var start = await http.PostAsync(new Uri(survivor, "/v2/lease/blob/blobs/uploads/"), null, deadline.Token);
            Assert.Equal(System.Net.HttpStatusCode.Accepted, start.StatusCode);
            var location = start.Headers.Location!.OriginalString;
            var uploadId = location.TrimEnd('/')[(location.TrimEnd('/').LastIndexOf('/') + 1)..];
            using (var patch = new HttpRequestMessage(HttpMethod.Patch, new Uri(survivor, location)) { Content = new GeneratedContent(seed, 0, first) })
            {
                patch.Content.Headers.TryAddWithoutValidation("Content-Range", $"0-{first - 1}");
                using var response = await http.SendAsync(patch, deadline.Token);
                Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
            }

            // The second chunk goes to the victim, which takes the upload's lease and then never sees the end of the body.
            var stalling = new GeneratedContent(seed, first, second, pauseAfter: 64 * 1024);
            var stalledPatch = Task.Run(async () =>
            {
                using var patch = new HttpRequestMessage(HttpMethod.Patch, new Uri(victim.BaseAddress, location)) { Content = stalling };
                patch.Content.Headers.TryAddWithoutValidation("Content-Range", $"{first}-{first + second - 1}");
                using var response = await http.SendAsync(patch, deadline.Token);
                return response.StatusCode;
            });
            await stalling.Paused.WaitAsync(deadline.Token);
            await WaitForLeaseAsync(cluster.ConnectionString, "upload:" + uploadId, deadline.Token);
            await victim.KillAsync();
            var killedAt = Stopwatch.StartNew();
            stalling.Abort();
            await Assert.ThrowsAnyAsync<Exception>(() => stalledPatch);

            // The retried chunk, from the last durable offset, on the surviving replica.
            using (var patch = new HttpRequestMessage(HttpMethod.Patch, new Uri(survivor, location)) { Content = new GeneratedContent(seed, first, second) })
            {
                patch.Content.Headers.TryAddWithoutValidation("Content-Range", $"{first}-{first + second - 1}");
                using var response = await http.SendAsync(patch, deadline.Token);
                var waited = killedAt.Elapsed;
                output.WriteLine($"PATCH on the surviving replica answered {(int)response.StatusCode} {waited.TotalSeconds:0.0} s after the kill");
                Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(deadline.Token)}");
                Assert.Equal($"0-{first + second - 1}", response.Headers.GetValues("Range").Single());
                Assert.True(waited < TimeSpan.FromSeconds(8), $"the dead replica's upload lease held the upload for {waited.TotalSeconds:0.0} s");
            }

            using (var put = new HttpRequestMessage(HttpMethod.Put, new Uri(survivor, $"{location}{(location.Contains('?', StringComparison.Ordinal) ? '&' : '?')}digest={Uri.EscapeDataString(digest)}")) { Content = new ByteArrayContent([]) })
            {
                using var response = await http.SendAsync(put, deadline.Token);
                Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"PUT ?digest: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(deadline.Token)}");
            }

            using var head = new HttpRequestMessage(HttpMethod.Head, new Uri(survivor, $"/v2/lease/blob/blobs/{digest}"));
            using var blob = await http.SendAsync(head, deadline.Token);
            Assert.Equal(System.Net.HttpStatusCode.OK, blob.StatusCode);
            Assert.Equal(first + second, blob.Content.Headers.ContentLength);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || deadline.IsCancellationRequested)
        {
            throw new InvalidOperationException($"{ex.Message}{Environment.NewLine}{cluster.Diagnostics()}", ex);
        }
    }

    private static async Task WaitForLeaseAsync(string connectionString, string key, CancellationToken cancellationToken)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        while (true)
        {
            await using var query = new Npgsql.NpgsqlCommand("SELECT count(*) FROM leases WHERE name = @name", connection);
            query.Parameters.AddWithValue("name", key);
            if ((long)(await query.ExecuteScalarAsync(cancellationToken))! > 0)
            {
                return;
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>`dockyard fsck` (digests re-hashed) over the cluster's shared database and storage, from a separate process.</summary>
    private async Task RunFsckAsync(ReplicaCluster cluster)
    {
        var timer = Stopwatch.StartNew();
        var fsck = await DockyardProcess.RunCliUncheckedAsync(cluster.SharedEnvironment, TimeSpan.FromSeconds(60), "fsck", "--data", cluster.ToolDataDirectory);
        output.WriteLine($"dockyard fsck ({timer.Elapsed.TotalMilliseconds:0} ms): {fsck.StandardOutput.Trim()}");
        Assert.True(fsck.ExitCode == 0, fsck.Describe());
        Assert.Contains("fsck: clean", fsck.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>
    /// Uploads 64 MiB of generated content in 8 MiB PATCHes, request i to <c>replicas[i % count]</c>, and completes it;
    /// returns the wall time.
    /// </summary>
    private static async Task<TimeSpan> TimeChunkedUploadAsync(ReplicaCluster cluster, IReadOnlyList<Uri> replicas, ulong seed, CancellationToken cancellationToken)
    {
        const long chunk = 8L << 20;
        const long total = 64L << 20;
        var digest = DeterministicData.Sha256Digest(seed, 0, total);
        using var http = new HttpClient(cluster.Credentials, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(60) };
        var request = 0;
        Uri Next(string path) => new(replicas[request++ % replicas.Count], path);
        var timer = Stopwatch.StartNew();
        using var start = await http.PostAsync(Next("/v2/rehash/blob/blobs/uploads/"), null, cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, start.StatusCode);
        var location = start.Headers.Location!.OriginalString;
        for (long offset = 0; offset < total; offset += chunk)
        {
            using var patch = new HttpRequestMessage(HttpMethod.Patch, Next(location)) { Content = new GeneratedContent(seed, offset, chunk) };
            patch.Content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + chunk - 1}");
            using var response = await http.SendAsync(patch, cancellationToken);
            Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"PATCH at {offset}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            location = response.Headers.Location?.OriginalString ?? location;
        }

        using var put = new HttpRequestMessage(HttpMethod.Put, Next($"{location}?digest={Uri.EscapeDataString(digest)}")) { Content = new ByteArrayContent([]) };
        using var done = await http.SendAsync(put, cancellationToken);
        Assert.True(done.StatusCode == System.Net.HttpStatusCode.Created, $"PUT ?digest: {(int)done.StatusCode} {await done.Content.ReadAsStringAsync(cancellationToken)}");
        return timer.Elapsed;
    }

    private async Task<string> DockerPushWithRetryAsync(string target, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await docker.RunDockerUncheckedAsync("push", target);
            if (result.ExitCode == 0)
            {
                return TestImages.PushedDigest(result);
            }

            output.WriteLine($"docker push {target} attempt {attempt} failed: {result.StandardError.Trim()}");
            if (attempt >= MaxDockerAttempts)
            {
                throw new ProcessFailedException(result.Describe(), result);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt), cancellationToken);
        }
    }

    private async Task<ProcessResult> Docker(params string[] args)
    {
        var result = await docker.RunDockerAsync(args);
        output.WriteLine($"$ docker {string.Join(' ', args)}");
        return result;
    }

}
