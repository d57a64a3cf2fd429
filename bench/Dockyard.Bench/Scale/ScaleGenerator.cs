using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;

// The load tool runs on Linux only (it reads /proc); the generator writes files with Unix modes.
[assembly: SupportedOSPlatform("linux")]

namespace Dockyard.Bench.Scale;

/// <summary>
/// <c>dockyard-bench scale-gen DATA_DIR FACTOR VIEWER [postgres-connection-string]</c>: fills a stopped installation
/// (schema created, administrator and the local user VIEWER present) with <see cref="ScaleShape.For"/> rows written
/// straight into its database with batched INSERTs, the same rows a push writes (repositories, manifests and their
/// references, blob records and links, tags), plus organizations, users, teams, grants and a hash-chained audit
/// trail; every blob, manifest link and tag link is written to filesystem storage under DATA_DIR/storage so fsck and
/// garbage collection find what they expect. Prints key=value lines (counts, seconds) on stdout.
/// </summary>
internal static class ScaleGenerator
{
    private const string ManifestType = "application/vnd.oci.image.manifest.v1+json";
    private const string ConfigType = "application/vnd.oci.image.config.v1+json";
    private const string LayerType = "application/vnd.oci.image.layer.v1.tar+gzip";
    private const int Chunk = 500; // repositories built (in parallel) per database batch

    // Writing files is mostly waiting on the file system: more writers than cores.
    private static readonly ParallelOptions FileWriters = new() { MaxDegreeOfParallelism = 4 * Environment.ProcessorCount };

    private static readonly UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly UnixFileMode PrivateDirectory = PrivateFile | UnixFileMode.UserExecute;

    public static int Run(string dataDirectory, double factor, string viewer, string? postgres)
    {
        var shape = ScaleShape.For(factor);
        // Every directory private, parents included (CreateDirectory's mode applies to the last one only): fsck checks.
        _ = umask(Convert.ToUInt32("077", 8));
        var storage = Path.Combine(dataDirectory, "storage");
        var now = DateTimeOffset.UtcNow;
        var total = Stopwatch.StartNew();
        using var db = new ScaleDatabase(dataDirectory, postgres);
        if (db.Scalar("SELECT COUNT(*) FROM organizations WHERE name = @n", ("@n", ScaleShape.Org(0))) is long and > 0)
        {
            throw new InvalidOperationException("this installation has been generated already");
        }

        var viewerId = db.Scalar("SELECT id FROM users WHERE username = @n", ("@n", viewer)) as long?
            ?? throw new InvalidOperationException($"no user {viewer}: create it first (dockyard user add)");
        Console.Error.WriteLine($"scale-gen: {shape.Organizations} organizations, {shape.Repositories} repositories, {shape.Manifests} manifests, {shape.AuditEntries} audit entries, {shape.Users} users");

        var watch = Stopwatch.StartNew();
        var (users, orgs, teams) = WriteAccounts(db, shape, viewerId, now);
        Report("accounts", watch, db);

        watch.Restart();
        var layers = WriteLayers(db, shape, storage, now);
        Report("layers", watch, db);

        watch.Restart();
        var digests = WriteRepositories(db, shape, storage, layers, teams, users, now);
        Report("repositories", watch, db);

        watch.Restart();
        var audit = WriteAudit(db, shape, digests, users, now);
        Report("audit", watch, db);

        db.Commit();
        Console.WriteLine($"organizations={orgs}");
        Console.WriteLine($"repositories={shape.Repositories}");
        Console.WriteLine($"manifests={shape.Manifests}");
        Console.WriteLine($"tags={shape.Tags}");
        Console.WriteLine($"hot_repository={shape.Repo(0)} hot_tags={shape.HotTags}");
        Console.WriteLine($"viewer_repositories={shape.Repositories / ScaleShape.ViewerOrgStride}");
        Console.WriteLine($"audit_entries={audit}");
        Console.WriteLine($"rows={db.Rows}");
        Console.WriteLine($"seconds={total.Elapsed.TotalSeconds:F1}");
        return 0;
    }

    private static void Report(string phase, Stopwatch watch, ScaleDatabase db) =>
        Console.Error.WriteLine($"scale-gen: {phase} done in {watch.Elapsed.TotalSeconds:F1} s ({db.Rows} rows so far)");

    private static (long[] Users, int Orgs, long[] Teams) WriteAccounts(ScaleDatabase db, ScaleShape shape, long viewerId, DateTimeOffset now)
    {
        var created = now.AddDays(-400).UtcTicks;
        var userRows = new BatchInserter(db, "users", "username", "email", "display_name", "password_hash", "source", "external_id", "is_admin", "is_active", "created_at");
        for (var u = 0; u < shape.Users; u++)
        {
            var name = "user" + u.ToString("D4", CultureInfo.InvariantCulture);
            // No password: these accounts exist to be members and actors; only the viewer signs in.
            userRows.Add(name, name + "@example.test", "User " + u.ToString(CultureInfo.InvariantCulture), null, "Local", null, false, true, created, null);
        }

        userRows.Flush();
        var orgRows = new BatchInserter(db, "organizations", "name", "description", "default_member_role", "created_at");
        for (var o = 0; o < shape.Organizations; o++)
        {
            orgRows.Add(ScaleShape.Org(o), $"Generated organization {o}", "None", created);
        }

        orgRows.Flush();
        var userIds = db.Ids("users", "username", "user");
        var users = Enumerable.Range(0, shape.Users).Select(u => userIds["user" + u.ToString("D4", CultureInfo.InvariantCulture)]).ToArray();
        var orgIds = db.Ids("organizations", "name", "org");
        var teamRows = new BatchInserter(db, "teams", "organization_id", "name", "description", "ldap_group", "created_at");
        for (var o = 0; o < shape.Organizations; o++)
        {
            teamRows.Add(orgIds[ScaleShape.Org(o)], ScaleShape.Org(o) + "-devs", "Developers", null, created);
        }

        teamRows.Flush();
        var teamIds = db.Ids("teams", "name", "org");
        var teams = Enumerable.Range(0, shape.Organizations).Select(o => teamIds[ScaleShape.Org(o) + "-devs"]).ToArray();

        var members = new BatchInserter(db, "organization_members", "organization_id", "user_id", "is_owner", "created_at");
        var teamMembers = new BatchInserter(db, "team_members", "team_id", "user_id", "source", "created_at");
        for (var o = 0; o < shape.Organizations; o++)
        {
            var org = orgIds[ScaleShape.Org(o)];
            var seen = new HashSet<long>();
            for (var k = 0; k < 5; k++)
            {
                var user = users[((o * 5) + (k * 211)) % users.Length];
                if (!seen.Add(user))
                {
                    continue;
                }

                members.Add(org, user, k == 0, created);
                teamMembers.Add(teams[o], user, "Local", created);
            }

            if (ScaleShape.ViewerSees(o))
            {
                members.Add(org, viewerId, false, created);
                teamMembers.Add(teams[o], viewerId, "Local", created);
            }
        }

        members.Flush();
        teamMembers.Flush();
        return (users, shape.Organizations, teams);
    }

    private sealed record Layer(string Digest, int Size);

    /// <summary>The shared layer pool and the orphans (uploaded, never referenced): small random stand-ins for layers.</summary>
    private static Layer[] WriteLayers(ScaleDatabase db, ScaleShape shape, string storage, DateTimeOffset now)
    {
        var old = now.AddDays(-30).UtcTicks;
        var layers = new Layer[shape.LayerPool + shape.Orphans];
        Parallel.For(0, layers.Length, FileWriters, i =>
        {
            var data = new byte[512 + ((i * 97) % 3584)];
            new Random(i).NextBytes(data);
            var digest = Sha256(data);
            WriteBlob(storage, digest, data);
            layers[i] = new Layer(digest, data.Length);
        });
        var rows = new BatchInserter(db, "blobs", "digest", "size", "created_at", "last_seen_at", "deleting_since");
        foreach (var layer in layers)
        {
            rows.Add(layer.Digest, (long)layer.Size, old, old, null);
        }

        rows.Flush();
        return layers[..shape.LayerPool];
    }

    private sealed record BuiltManifest(string Digest, int Size, string ConfigDigest, int ConfigSize, int BaseLayer, int AppLayer, long CreatedAt);

    private sealed record BuiltRepository(int Index, string Name, BuiltManifest[] Manifests);

    /// <summary>
    /// Repositories in chunks: the CPU and storage work of a chunk (bodies, digests, files) runs in parallel while the
    /// previous chunk's rows are inserted (one writer). Returns every manifest digest, by repository, for the audit trail.
    /// </summary>
    private static string[][] WriteRepositories(ScaleDatabase db, ScaleShape shape, string storage, Layer[] layers, long[] teams, long[] users, DateTimeOffset now)
    {
        var digests = new string[shape.Repositories][];
        using var chunks = new BlockingCollection<BuiltRepository[]>(boundedCapacity: 2);
        var producer = Task.Run(() =>
        {
            try
            {
                for (var start = 0; start < shape.Repositories; start += Chunk)
                {
                    var built = new BuiltRepository[Math.Min(Chunk, shape.Repositories - start)];
                    Parallel.For(0, built.Length, FileWriters, i => built[i] = BuildRepository(shape, start + i, storage, layers, now));
                    chunks.Add(built);
                }
            }
            finally
            {
                chunks.CompleteAdding();
            }
        });

        var repositories = new BatchInserter(db, "repositories", "name", "visibility", "description", "created_at");
        var blobs = new BatchInserter(db, "blobs", "digest", "size", "created_at", "last_seen_at", "deleting_since");
        var links = new BatchInserter(db, "blob_links", "repository", "digest", "size", "created_at");
        var manifests = new BatchInserter(db, "manifests", "repository", "digest", "media_type", "size", "artifact_type", "subject", "annotations", "created_at", "platforms", "content_size");
        var references = new BatchInserter(db, "manifest_references", "repository", "manifest_digest", "child_digest");
        var tags = new BatchInserter(db, "tags", "repository", "name", "manifest_digest", "updated_at", "pushed_by");
        var grants = new BatchInserter(db, "repository_permissions", "repository", "subject_kind", "subject_id", "role", "created_at");
        var done = 0;
        var watch = Stopwatch.StartNew();
        foreach (var chunk in chunks.GetConsumingEnumerable())
        {
            foreach (var repo in chunk)
            {
                var org = repo.Index / shape.ReposPerOrg;
                var first = repo.Manifests[0].CreatedAt;
                repositories.Add(repo.Name, "Private", $"Service {repo.Index % shape.ReposPerOrg} of {ScaleShape.Org(org)}.", first);
                var linked = new HashSet<int>();
                foreach (var m in repo.Manifests)
                {
                    blobs.Add(m.ConfigDigest, (long)m.ConfigSize, m.CreatedAt, m.CreatedAt, null);
                    blobs.Add(m.Digest, (long)m.Size, m.CreatedAt, m.CreatedAt, null);
                    links.Add(repo.Name, m.ConfigDigest, (long)m.ConfigSize, m.CreatedAt);
                    foreach (var layer in new[] { m.BaseLayer, m.AppLayer })
                    {
                        if (linked.Add(layer))
                        {
                            links.Add(repo.Name, layers[layer].Digest, (long)layers[layer].Size, m.CreatedAt);
                        }
                    }

                    manifests.Add(repo.Name, m.Digest, ManifestType, (long)m.Size, null, null, null, m.CreatedAt, null, null);
                    references.Add(repo.Name, m.Digest, m.ConfigDigest);
                    references.Add(repo.Name, m.Digest, layers[m.BaseLayer].Digest);
                    references.Add(repo.Name, m.Digest, layers[m.AppLayer].Digest);
                }

                var tagCount = shape.TagsOf(repo.Index);
                for (var t = 0; t < tagCount; t++)
                {
                    var m = repo.Manifests[repo.Manifests.Length - 1 - (t % repo.Manifests.Length)];
                    tags.Add(repo.Name, ScaleShape.TagName(t), m.Digest, m.CreatedAt, "user" + (org % users.Length).ToString("D4", CultureInfo.InvariantCulture));
                }

                // The organization's team reads all of its repositories; every tenth repository has a user with write.
                grants.Add(repo.Name, "Team", teams[org], "Read", first);
                if (repo.Index % 10 == 1)
                {
                    grants.Add(repo.Name, "User", users[repo.Index % users.Length], "Write", first);
                }

                digests[repo.Index] = [.. repo.Manifests.Select(m => m.Digest)];
            }

            done += chunk.Length;
            if (done % 10_000 < Chunk)
            {
                Console.Error.WriteLine($"scale-gen: {done}/{shape.Repositories} repositories, {db.Rows} rows, {watch.Elapsed.TotalSeconds:F0} s");
            }
        }

        producer.GetAwaiter().GetResult();
        foreach (var inserter in new[] { repositories, blobs, links, manifests, references, tags, grants })
        {
            inserter.Flush();
        }

        return digests;
    }

    private static BuiltRepository BuildRepository(ScaleShape shape, int r, string storage, Layer[] layers, DateTimeOffset now)
    {
        var name = shape.Repo(r);
        var built = new BuiltManifest[shape.ManifestsPerRepo];
        var repoDir = Path.Combine(storage, "repositories", name);
        var manifestLinks = Path.Combine(repoDir, "_manifests", "sha256");
        Directory.CreateDirectory(manifestLinks, PrivateDirectory);
        for (var m = 0; m < built.Length; m++)
        {
            // Pushed over the last 300 days, oldest first.
            var created = now.AddDays(-300).AddMinutes(((r * 13) + (m * 10_007)) % 400_000).AddSeconds(m);
            var (baseLayer, appLayer) = shape.LayersOf(r, m);
            var config = Encoding.UTF8.GetBytes(
                $$$"""{"architecture":"{{{(m % 4 == 3 ? "arm64" : "amd64")}}}","os":"linux","created":"{{{created.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}}}","config":{"Env":["PATH=/usr/local/bin:/usr/bin:/bin"],"Entrypoint":["/app/{{{name[(name.IndexOf('/') + 1)..]}}}"],"Labels":{"org.opencontainers.image.source":"https://git.example.test/{{{name}}}","build":"{{{m}}}"}},"rootfs":{"type":"layers","diff_ids":["{{{layers[baseLayer].Digest}}}","{{{layers[appLayer].Digest}}}"]}}""");
            var configDigest = Sha256(config);
            var body = Encoding.UTF8.GetBytes(
                $$$"""{"schemaVersion":2,"mediaType":"{{{ManifestType}}}","config":{"mediaType":"{{{ConfigType}}}","digest":"{{{configDigest}}}","size":{{{config.Length}}}},"layers":[{"mediaType":"{{{LayerType}}}","digest":"{{{layers[baseLayer].Digest}}}","size":{{{layers[baseLayer].Size}}}},{"mediaType":"{{{LayerType}}}","digest":"{{{layers[appLayer].Digest}}}","size":{{{layers[appLayer].Size}}}}]}""");
            var digest = Sha256(body);
            WriteBlob(storage, configDigest, config);
            WriteBlob(storage, digest, body);
            WriteFile(Path.Combine(manifestLinks, digest[7..]), Encoding.UTF8.GetBytes(ManifestType));
            built[m] = new BuiltManifest(digest, body.Length, configDigest, config.Length, baseLayer, appLayer, created.UtcTicks);
        }

        var tagLinks = Path.Combine(repoDir, "_tags");
        Directory.CreateDirectory(tagLinks, PrivateDirectory);
        var tagCount = shape.TagsOf(r);
        for (var t = 0; t < tagCount; t++)
        {
            WriteFile(Path.Combine(tagLinks, ScaleShape.TagName(t)), Encoding.UTF8.GetBytes(built[built.Length - 1 - (t % built.Length)].Digest));
        }

        return new BuiltRepository(r, name, built);
    }

    /// <summary>The audit trail: <see cref="ScaleShape.AuditEntries"/> entries after the existing ones, chained as Audit/AuditChain does.</summary>
    private static long WriteAudit(ScaleDatabase db, ScaleShape shape, string[][] digests, long[] users, DateTimeOffset now)
    {
        long lastId = 0;
        var previous = new byte[32];
        using (var last = db.Query("SELECT id, hash FROM audit_entries ORDER BY id DESC LIMIT 1"))
        using (var reader = last.ExecuteReader())
        {
            if (reader.Read())
            {
                lastId = reader.GetInt64(0);
                previous = Convert.FromHexString(reader.GetString(1));
            }
        }

        var rows = new BatchInserter(db, "audit_entries", "id", "time", "actor_kind", "actor_name", "actor_id", "auth_method", "source_ip", "user_agent",
            "action", "repository", "reference", "digest", "resource", "organization", "outcome", "reason", "request_id", "details", "hash");
        var start = now.AddDays(-300).UtcTicks;
        var span = now.AddMinutes(-10).UtcTicks - start;
        var canonical = new CanonicalWriter();
        for (long i = 0; i < shape.AuditEntries; i++)
        {
            var id = lastId + 1 + i;
            var time = start + (long)(span * (i / (double)shape.AuditEntries));
            var r = (int)((ulong)(i * 2_654_435_761) % (ulong)shape.Repositories);
            var repo = shape.Repo(r);
            var org = ScaleShape.Org(r / shape.ReposPerOrg);
            var actor = "user" + ((int)(i % shape.Users)).ToString("D4", CultureInfo.InvariantCulture);
            var kind = (int)(i % 20);
            var (action, outcome, reference, digest, details) = kind switch
            {
                < 11 => ("registry.manifest.pull", "success", "latest", digests[r][^1], (string?)null),
                < 15 => ("registry.manifest.push", "success", ScaleShape.TagName((int)(i % 7)), digests[r][(int)(i % digests[r].Length)], null),
                < 18 => ("auth.token.issue", "success", null, null, $$"""{"scopes":["repository:{{repo}}:pull"]}"""),
                18 => ("registry.access.denied", "denied", "latest", null, null),
                _ => ("auth.login.success", "success", null, null, null),
            };
            var fields = new object?[]
            {
                id, time, "user", actor, users[(int)(i % shape.Users)], kind == 19 ? "password" : "token", "127.0." + ((i >> 8) % 256).ToString(CultureInfo.InvariantCulture) + "." + (i % 256).ToString(CultureInfo.InvariantCulture),
                "docker/24.0.7 go/go1.20.10 git-commit/311b9ff kernel/6.1.0 os/linux arch/amd64", action,
                kind < 19 && kind is not (15 or 16 or 17) ? repo : null, reference, digest, null, org, outcome, null,
                "req-" + id.ToString("x12", CultureInfo.InvariantCulture), details, null,
            };
            previous = canonical.Hash(previous, fields);
            fields[^1] = Convert.ToHexStringLower(previous);
            rows.Add(fields);
        }

        rows.Flush();
        return shape.AuditEntries;
    }

    [DllImport("libc", SetLastError = false)]
    private static extern uint umask(uint mask);

    private static string Sha256(ReadOnlySpan<byte> data) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));

    private static void WriteBlob(string storage, string digest, byte[] data)
    {
        var hex = digest[7..];
        var directory = Path.Combine(storage, "blobs", "sha256", hex[..2]);
        Directory.CreateDirectory(directory, PrivateDirectory);
        WriteFile(Path.Combine(directory, hex), data);
    }

    private static void WriteFile(string path, byte[] data)
    {
        using var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = PrivateFile });
        file.Write(data);
    }

    /// <summary>
    /// The audit chain's canonical form (src/Dockyard.Server/Audit/AuditChain.cs, which documents it): each field
    /// as a 4-byte big-endian length and its UTF-8 bytes (numbers in invariant decimal), 0xFFFFFFFF for null;
    /// hash = SHA-256(previous ‖ canonical). <c>dockyard audit verify</c> checks what this writes.
    /// </summary>
    private sealed class CanonicalWriter
    {
        private readonly MemoryStream _buffer = new();

        public byte[] Hash(byte[] previous, object?[] fields)
        {
            _buffer.SetLength(0);
            _buffer.Write(previous);
            Span<byte> length = stackalloc byte[4];
            for (var f = 0; f < 18; f++)
            {
                var text = fields[f] switch
                {
                    null => null,
                    long number => number.ToString(CultureInfo.InvariantCulture),
                    string s => s,
                    var other => throw new InvalidOperationException($"field {f}: {other.GetType()}"),
                };
                if (text is null)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(length, uint.MaxValue);
                    _buffer.Write(length);
                    continue;
                }

                var bytes = Encoding.UTF8.GetBytes(text);
                BinaryPrimitives.WriteUInt32BigEndian(length, (uint)bytes.Length);
                _buffer.Write(length);
                _buffer.Write(bytes);
            }

            return SHA256.HashData(_buffer.GetBuffer().AsSpan(0, (int)_buffer.Length));
        }
    }
}
