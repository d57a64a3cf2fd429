// dockyard-bench: the load client for bench/run.sh where curl and wrk do not fit.
// Every command prints one number (or a digest) on stdout; diagnostics go to stderr.
// Nothing here talks to anything but the URL it is given (the harness only gives loopback URLs).
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Dockyard.Bench.Control;
using Dockyard.Bench.Scale;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: dockyard-bench sha256|get|push|small|tagput|seed|image|load|coldstart ...");
    Console.Error.WriteLine("       dockyard-bench scale-gen DATA_DIR FACTOR VIEWER [POSTGRES_CONNECTION] (bench/run.sh --scale)");
    Console.Error.WriteLine("       dockyard-bench api-latency|page-latency|log-latency|log-memory|stats-fanout|exec-echo|events-gen ... (bench/control.sh)");
    return 2;
}

try
{
    return args[0] switch
    {
        "sha256" => Commands.Sha256(int.Parse(args[1])),
        "get" => await Commands.GetAsync(args[1], int.Parse(args[2])),
        "push" => await Commands.PushAsync(args[1], args[2], long.Parse(args[3]), long.Parse(args[4]), int.Parse(args[5])),
        "small" => await Commands.SmallAsync(args[1], args[2], int.Parse(args[3]), int.Parse(args[4]), int.Parse(args[5]), args.Length > 6 ? int.Parse(args[6]) : null),
        "tagput" => await Commands.TagPutAsync(args[1], args[2], int.Parse(args[3]), int.Parse(args[4]), int.Parse(args[5])),
        "seed" => await Commands.SeedAsync(args[1], args[2], int.Parse(args[3])),
        "image" => Commands.Image(args[1], int.Parse(args[2]), int.Parse(args[3]), int.Parse(args[4])),
        "load" => await Commands.LoadAsync(args[1], args[2], int.Parse(args[3]), double.Parse(args[4]), args.Length > 5 ? args[5] : null),
        "coldstart" => await Commands.ColdStartAsync(args[1], args[2], args[3..]),
        // Control-plane passes (issue #16), driven by bench/control.sh; see Control/.
        "api-latency" => await LatencyCommands.ApiAsync(args[1], args[2], int.Parse(args[3]), int.Parse(args[4]), args[5], args[6..]),
        "page-latency" => await LatencyCommands.PageAsync(args[1], args[2], args[3], int.Parse(args[4]), int.Parse(args[5]), args[6], args[7..]),
        "log-latency" => await LogCommands.LatencyAsync(args[1], args[2], args[3], double.Parse(args[4]), double.Parse(args[5]), args[6]),
        "log-memory" => await LogCommands.MemoryAsync(args[1], args[2], args[3], int.Parse(args[4]), double.Parse(args[5]), int.Parse(args[6]), args[7]),
        "stats-fanout" => await StatsCommands.FanOutAsync(args[1], args[2], args[3], int.Parse(args[4]), double.Parse(args[5]), int.Parse(args[6]), args[7], args[8]),
        "exec-echo" => await ExecCommands.EchoAsync(args[1], args[2], args[3], int.Parse(args[4]), args[5]),
        "events-gen" => await EventCommands.GenerateAsync(double.Parse(args[1]), double.Parse(args[2]), int.Parse(args[3]), args[4..]),
        // Scale pass (issue #19): fills a stopped installation directly through its database; see Scale/.
        "scale-gen" => ScaleGenerator.Run(args[1], double.Parse(args[2]), args[3], args.Length > 4 ? args[4] : null),
        _ => throw new ArgumentException($"unknown command {args[0]}"),
    };
}
catch (Exception error)
{
    Console.Error.WriteLine($"dockyard-bench {args[0]}: {error.Message}");
    return 1;
}

internal static class Commands
{
    private const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    private const string OciConfig = "application/vnd.oci.image.config.v1+json";
    private const string OciLayer = "application/vnd.oci.image.layer.v1.tar";

    private static HttpClient NewClient(int connections = 1) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    })
    { Timeout = TimeSpan.FromMinutes(10) };

    private static string Mbps(long bytes, TimeSpan elapsed) => (bytes / 1e6 / elapsed.TotalSeconds).ToString("F1", CultureInfo.InvariantCulture);

    private static byte[] RandomBytes(long size, int seed)
    {
        var data = GC.AllocateUninitializedArray<byte>(checked((int)size));
        new Random(seed).NextBytes(data);
        return data;
    }

    private static string Sha256Digest(ReadOnlySpan<byte> data) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>SHA-256 throughput of this machine as the server computes it (incremental, 256 KiB pieces). MB/s.</summary>
    public static int Sha256(int mib)
    {
        var data = RandomBytes(256 * 1024, 1);
        using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var pieces = mib * 4;
        hasher.AppendData(data); // warm-up
        hasher.GetHashAndReset();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < pieces; i++)
        {
            hasher.AppendData(data);
        }

        hasher.GetHashAndReset();
        Console.WriteLine(Mbps((long)pieces * data.Length, watch.Elapsed));
        return 0;
    }

    /// <summary>Downloads <paramref name="url"/> once on each of <paramref name="streams"/> connections at the same time. Aggregate MB/s.</summary>
    public static async Task<int> GetAsync(string url, int streams)
    {
        using var client = NewClient(streams);
        long total = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, streams).Select(async _ =>
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[1024 * 1024];
            long got = 0;
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                got += read;
            }

            if (response.Content.Headers.ContentLength is { } expected && expected != got)
            {
                throw new InvalidOperationException($"short body: {got} of {expected}");
            }

            Interlocked.Add(ref total, got);
        }));
        Console.WriteLine(Mbps(total, watch.Elapsed));
        return 0;
    }

    private static async Task<Uri> StartUploadAsync(HttpClient client, Uri registry, string repository)
    {
        using var response = await client.PostAsync(new Uri(registry, $"/v2/{repository}/blobs/uploads/"), null);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"POST upload: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return new Uri(registry, response.Headers.Location!);
    }

    private static Uri WithDigest(Uri location, string digest)
    {
        var separator = string.IsNullOrEmpty(location.Query) ? "?" : "&";
        return new Uri(location + separator + "digest=" + Uri.EscapeDataString(digest));
    }

    private static async Task PushBlobAsync(HttpClient client, Uri registry, string repository, ReadOnlyMemory<byte> data, string digest, long chunk)
    {
        var location = await StartUploadAsync(client, registry, repository);
        if (chunk > 0 && chunk < data.Length)
        {
            for (long offset = 0; offset < data.Length; offset += chunk)
            {
                var length = (int)Math.Min(chunk, data.Length - offset);
                using var content = new ReadOnlyMemoryContent(data.Slice((int)offset, length));
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                content.Headers.ContentLength = length;
                content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + length - 1}");
                using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = content };
                using var response = await client.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    throw new InvalidOperationException($"PATCH: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }

                location = new Uri(registry, response.Headers.Location!);
            }

            using var done = new HttpRequestMessage(HttpMethod.Put, WithDigest(location, digest)) { Content = new ByteArrayContent([]) };
            using var doneResponse = await client.SendAsync(done);
            if (doneResponse.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"PUT: {(int)doneResponse.StatusCode} {await doneResponse.Content.ReadAsStringAsync()}");
            }

            return;
        }

        using (var content = new ReadOnlyMemoryContent(data))
        {
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Headers.ContentLength = data.Length;
            using var request = new HttpRequestMessage(HttpMethod.Put, WithDigest(location, digest)) { Content = content };
            using var response = await client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"PUT: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    /// <summary>Pushes one blob of <paramref name="size"/> random bytes: monolithic (chunk 0) or in chunks. MB/s from POST to 201.</summary>
    public static async Task<int> PushAsync(string registry, string repository, long size, long chunk, int seed)
    {
        var data = RandomBytes(size, seed);
        var digest = Sha256Digest(data);
        using var client = NewClient();
        var watch = Stopwatch.StartNew();
        await PushBlobAsync(client, new Uri(registry), repository, data, digest, chunk);
        Console.WriteLine($"{Mbps(size, watch.Elapsed)}\t{digest}");
        return 0;
    }

    /// <summary>
    /// Pushes <paramref name="count"/> distinct small blobs (POST, then a monolithic PUT each). Without
    /// <paramref name="connections"/>: one after another over one keep-alive connection, prints blobs/s. With it: that
    /// many connections each pushing the next blob not yet taken, prints "blobs/s p50_ms p99_ms" (per blob, POST to 201).
    /// </summary>
    public static async Task<int> SmallAsync(string registry, string repository, int count, int size, int seed, int? connections)
    {
        var blobs = new (byte[] Data, string Digest)[count];
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var data = new byte[size];
            random.NextBytes(data);
            blobs[i] = (data, Sha256Digest(data));
        }

        var baseUri = new Uri(registry);
        if (connections is not { } parallel)
        {
            using var client = NewClient();
            var watch = Stopwatch.StartNew();
            foreach (var (data, digest) in blobs)
            {
                await PushBlobAsync(client, baseUri, repository, data, digest, 0);
            }

            Console.WriteLine((count / watch.Elapsed.TotalSeconds).ToString("F1", CultureInfo.InvariantCulture));
            return 0;
        }

        var (perSecond, latencies) = await RunParallelAsync(count, parallel, (client, i) =>
            PushBlobAsync(client, baseUri, repository, blobs[i].Data, blobs[i].Digest, 0));
        Console.WriteLine(RateAndLatency(perSecond, latencies));
        return 0;
    }

    /// <summary>
    /// Pushes one small image as tag "latest" of <paramref name="repository"/>, then PUTs its manifest under
    /// <paramref name="count"/> new tags (w{seed}-00000, …) over <paramref name="connections"/> connections.
    /// Prints "tags/s p50_ms p99_ms" (per PUT).
    /// </summary>
    public static async Task<int> TagPutAsync(string registry, string repository, int count, int connections, int seed)
    {
        var baseUri = new Uri(registry);
        var (manifest, _, blobs) = BuildImage(1, 1024, 7);
        using (var seeder = NewClient())
        {
            foreach (var (data, blobDigest) in blobs)
            {
                await PushBlobAsync(seeder, baseUri, repository, data, blobDigest, 0);
            }

            await PutManifestAsync(seeder, baseUri, repository, "latest", manifest);
        }

        var (perSecond, latencies) = await RunParallelAsync(count, connections, (client, i) =>
            PutManifestAsync(client, baseUri, repository, $"w{seed}-{i:D5}", manifest));
        Console.WriteLine(RateAndLatency(perSecond, latencies));
        return 0;
    }

    private static async Task PutManifestAsync(HttpClient client, Uri registry, string repository, string tag, byte[] manifest)
    {
        using var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue(OciManifest);
        using var response = await client.PutAsync(new Uri(registry, $"/v2/{repository}/manifests/{tag}"), content);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"PUT manifest {tag}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Runs operations 0..count-1 on <paramref name="connections"/> workers (one connection each). Ops/s and each op's latency (ticks).</summary>
    private static async Task<(double PerSecond, long[] Latencies)> RunParallelAsync(int count, int connections, Func<HttpClient, int, Task> operation)
    {
        var latencies = new long[count];
        var next = -1;
        var clients = Enumerable.Range(0, connections).Select(_ => NewClient()).ToArray();
        try
        {
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(clients.Select(client => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    await operation(client, i);
                    latencies[i] = Stopwatch.GetTimestamp() - t0;
                }
            })));
            return (count / watch.Elapsed.TotalSeconds, latencies);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    private static string RateAndLatency(double perSecond, long[] latencies)
    {
        var sorted = latencies.Order().ToArray();
        string Ms(double q) => (sorted[(int)Math.Min(sorted.Length - 1, q * sorted.Length)] * 1000.0 / Stopwatch.Frequency).ToString("F3", CultureInfo.InvariantCulture);
        return $"{perSecond.ToString("F1", CultureInfo.InvariantCulture)} {Ms(0.50)} {Ms(0.99)}";
    }

    private static (byte[] Manifest, string Digest, (byte[] Data, string Digest)[] Blobs) BuildImage(int layers, int layerBytes, int seed)
    {
        var blobs = new List<(byte[] Data, string Digest)>();
        for (var i = 0; i < layers; i++)
        {
            var layer = RandomBytes(layerBytes, seed * 1000 + i);
            blobs.Add((layer, Sha256Digest(layer)));
        }

        var diffIds = string.Join(",", blobs.Select(b => $"\"{b.Digest}\""));
        var config = Encoding.UTF8.GetBytes(
            $$"""{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":[{{diffIds}}]},"history":[{"created_by":"dockyard-bench seed {{seed}}"}]}""");
        var configDigest = Sha256Digest(config);
        var layerJson = string.Join(",", blobs.Select(b => $$"""{"mediaType":"{{OciLayer}}","digest":"{{b.Digest}}","size":{{b.Data.Length}}}"""));
        var manifest = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"{{OciManifest}}","config":{"mediaType":"{{OciConfig}}","digest":"{{configDigest}}","size":{{config.Length}}},"layers":[{{layerJson}}]}""");
        blobs.Insert(0, (config, configDigest));
        return (manifest, Sha256Digest(manifest), blobs.ToArray());
    }

    /// <summary>
    /// Pushes a small image (config + one 1 KiB layer) to <paramref name="repository"/> as tag "latest" and
    /// then as <paramref name="extraTags"/> more tags (t00000, t00001, …). Prints the manifest digest.
    /// </summary>
    public static async Task<int> SeedAsync(string registry, string repository, int extraTags)
    {
        var baseUri = new Uri(registry);
        var (manifest, digest, blobs) = BuildImage(1, 1024, 7);
        using var client = NewClient(8);
        foreach (var (data, blobDigest) in blobs)
        {
            await PushBlobAsync(client, baseUri, repository, data, blobDigest, 0);
        }

        async Task PutTag(string tag)
        {
            using var content = new ByteArrayContent(manifest);
            content.Headers.ContentType = new MediaTypeHeaderValue(OciManifest);
            using var response = await client.PutAsync(new Uri(baseUri, $"/v2/{repository}/manifests/{tag}"), content);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"PUT manifest {tag}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        await PutTag("latest");
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next) - 1) < extraTags)
            {
                await PutTag($"t{i:D5}");
            }
        }));
        Console.WriteLine(digest);
        return 0;
    }

    /// <summary>Writes an OCI image layout (tag "bench") with <paramref name="layers"/> random layers of <paramref name="layerMib"/> MiB.</summary>
    public static int Image(string directory, int layers, int layerMib, int seed)
    {
        var (manifest, digest, blobs) = BuildImage(layers, layerMib * 1024 * 1024, seed);
        var blobDirectory = Path.Combine(directory, "blobs", "sha256");
        Directory.CreateDirectory(blobDirectory);
        foreach (var (data, blobDigest) in blobs.Append((manifest, digest)))
        {
            File.WriteAllBytes(Path.Combine(blobDirectory, blobDigest["sha256:".Length..]), data);
        }

        File.WriteAllText(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        File.WriteAllText(Path.Combine(directory, "index.json"),
            $$$"""{"schemaVersion":2,"manifests":[{"mediaType":"{{{OciManifest}}}","digest":"{{{digest}}}","size":{{{manifest.Length}}},"annotations":{"org.opencontainers.image.ref.name":"bench"}}]}""");
        Console.WriteLine(digest);
        return 0;
    }

    /// <summary>
    /// A minimal wrk for what wrk cannot do (its parser waits for a HEAD response's body): keep-alive HTTP/1.1 over
    /// raw sockets, <paramref name="connections"/> connections for <paramref name="seconds"/> s. Prints "req/s p50_ms p99_ms".
    /// Any answer but 2xx fails the run.
    /// </summary>
    public static async Task<int> LoadAsync(string method, string url, int connections, double seconds, string? accept)
    {
        var uri = new Uri(url);
        var request = Encoding.ASCII.GetBytes(
            $"{method} {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\n" + (accept is null ? "" : $"Accept: {accept}\r\n") + "\r\n");
        var head = method == "HEAD";
        var latencies = new List<long>[connections];
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = new List<long>(1 << 16);
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(uri.Host, uri.Port);
            var buffer = new byte[256 * 1024];
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var t0 = Stopwatch.GetTimestamp();
                await socket.SendAsync(request);
                int filled = 0, headerEnd;
                while ((headerEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
                {
                    var n = await socket.ReceiveAsync(buffer.AsMemory(filled));
                    if (n == 0) throw new InvalidOperationException("connection closed");
                    filled += n;
                }

                var headers = Encoding.ASCII.GetString(buffer, 0, headerEnd);
                var status = int.Parse(headers.AsSpan(9, 3));
                if (status / 100 != 2) throw new InvalidOperationException($"status {status}");
                long length = 0;
                foreach (var line in headers.Split("\r\n"))
                {
                    if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = long.Parse(line.AsSpan(15).Trim());
                }

                var remaining = (head ? 0 : length) - (filled - headerEnd - 4);
                while (remaining > 0)
                {
                    var n = await socket.ReceiveAsync(buffer.AsMemory());
                    if (n == 0) throw new InvalidOperationException("connection closed");
                    remaining -= n;
                }

                mine.Add(Stopwatch.GetTimestamp() - t0);
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Ms(double q) => all[(int)Math.Min(all.Length - 1, q * all.Length)] * 1000.0 / Stopwatch.Frequency;
        Console.WriteLine($"{(all.Length / elapsed).ToString("F2", CultureInfo.InvariantCulture)} {Ms(0.50).ToString("F3", CultureInfo.InvariantCulture)} {Ms(0.99).ToString("F3", CultureInfo.InvariantCulture)}");
        return 0;
    }

    /// <summary>
    /// Starts <paramref name="program"/> with <paramref name="arguments"/>, polls <paramref name="pingUrl"/> every 2 ms
    /// until it answers 200, prints the milliseconds from spawn to that answer, and stops the process it started.
    /// </summary>
    public static async Task<int> ColdStartAsync(string pingUrl, string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var client = NewClient();
        client.Timeout = TimeSpan.FromSeconds(2);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (watch.Elapsed < TimeSpan.FromSeconds(30))
            {
                try
                {
                    using var response = await client.GetAsync(pingUrl);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        Console.WriteLine(watch.Elapsed.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture));
                        return 0;
                    }
                }
                catch (HttpRequestException)
                {
                }

                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{program} exited with {process.ExitCode} before answering");
                }

                await Task.Delay(2);
            }

            throw new TimeoutException($"{pingUrl} did not answer 200 within 30 s");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
        }
    }
}
