using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Dockyard.Server.Tests.Infrastructure;

/// <summary>Test images made without any external registry.</summary>
public static partial class TestImages
{
    public const string BusyboxGreeting = "hello from dockyard";

    public const string OciIndexMediaType = "application/vnd.oci.image.index.v1+json";
    public const string OciManifestMediaType = "application/vnd.oci.image.manifest.v1+json";
    public const string OciConfigMediaType = "application/vnd.oci.image.config.v1+json";
    public const string OciLayerGzipMediaType = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    private static readonly DateTimeOffset FixedTime = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Imports a one-binary image (Debian's static /bin/busybox plus a /bin/sh symlink) into <paramref name="docker"/>
    /// as <paramref name="reference"/>; running it prints <see cref="BusyboxGreeting"/>. Returns the image ID.
    /// </summary>
    public static async Task<string> BuildBusyboxImageAsync(DockerDaemonFixture docker, string reference, string workDirectory)
    {
        var busybox = ExternalTool.StaticBusybox();
        var tarPath = Path.Combine(workDirectory, "busybox-rootfs.tar");
        await using (var file = File.Create(tarPath))
        await using (var tar = new TarWriter(file, TarEntryFormat.Pax, leaveOpen: false))
        {
            foreach (var dir in new[] { "bin/", "tmp/", "etc/" })
            {
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, dir)
                {
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                           UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
                    ModificationTime = FixedTime,
                });
            }

            await using (var binary = File.OpenRead(busybox))
            {
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "bin/busybox")
                {
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                           UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
                    ModificationTime = FixedTime,
                    DataStream = binary,
                });
            }

            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/sh") { LinkName = "busybox", ModificationTime = FixedTime });
        }

        var result = await docker.RunDockerAsync(
            "import",
            "--change", $"CMD [\"/bin/busybox\",\"echo\",\"{BusyboxGreeting}\"]",
            tarPath,
            reference);
        return result.StandardOutput.Trim();
    }

    /// <summary>
    /// Writes an OCI image layout at <paramref name="layoutPath"/> whose index.json names (as <paramref name="tag"/>) an
    /// image index of two image manifests, linux/amd64 and linux/arm64, each with its own config and one gzip layer.
    /// </summary>
    public static OciLayoutImage WriteTwoPlatformOciLayout(string layoutPath, string tag = "v1")
    {
        var blobs = Directory.CreateDirectory(Path.Combine(layoutPath, "blobs", "sha256")).FullName;
        var blobCount = 0;
        // Returns the blob's OCI descriptor as a JSON object (mediaType, digest, size).
        Dictionary<string, object> WriteBlob(string mediaType, byte[] content)
        {
            var hex = Convert.ToHexStringLower(SHA256.HashData(content));
            File.WriteAllBytes(Path.Combine(blobs, hex), content);
            blobCount++;
            return new Dictionary<string, object> { ["mediaType"] = mediaType, ["digest"] = "sha256:" + hex, ["size"] = content.Length };
        }

        var manifestDigests = new Dictionary<string, string>();
        var manifestBytes = new Dictionary<string, byte[]>();
        var platformDescriptors = new List<object>();
        foreach (var architecture in new[] { "amd64", "arm64" })
        {
            var (layerTar, layerGzip) = MakeLayer($"dockyard e2e test layer for linux/{architecture}\n");
            var layer = WriteBlob(OciLayerGzipMediaType, layerGzip);
            var config = WriteBlob(OciConfigMediaType, Json(new Dictionary<string, object>
            {
                ["created"] = "2024-01-01T00:00:00Z",
                ["architecture"] = architecture,
                ["os"] = "linux",
                ["config"] = new Dictionary<string, object> { ["Cmd"] = new[] { "/hello.txt" } },
                ["rootfs"] = new Dictionary<string, object>
                {
                    ["type"] = "layers",
                    ["diff_ids"] = new[] { "sha256:" + Convert.ToHexStringLower(SHA256.HashData(layerTar)) },
                },
                ["history"] = new[] { new Dictionary<string, object> { ["created"] = "2024-01-01T00:00:00Z", ["created_by"] = "dockyard tests" } },
            }));
            var manifestJson = Json(new Dictionary<string, object>
            {
                ["schemaVersion"] = 2,
                ["mediaType"] = OciManifestMediaType,
                ["config"] = config,
                ["layers"] = new[] { layer },
            });
            var manifest = WriteBlob(OciManifestMediaType, manifestJson);
            var platform = $"linux/{architecture}";
            manifestDigests[platform] = (string)manifest["digest"];
            manifestBytes[platform] = manifestJson;
            manifest["platform"] = new Dictionary<string, object> { ["architecture"] = architecture, ["os"] = "linux" };
            platformDescriptors.Add(manifest);
        }

        var indexJson = Json(new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciIndexMediaType,
            ["manifests"] = platformDescriptors,
        });
        var index = WriteBlob(OciIndexMediaType, indexJson);
        var indexDigest = (string)index["digest"];
        index["annotations"] = new Dictionary<string, string> { [RefNameAnnotation] = tag };

        File.WriteAllText(Path.Combine(layoutPath, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        File.WriteAllBytes(Path.Combine(layoutPath, "index.json"), Json(new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciIndexMediaType,
            ["manifests"] = new[] { index },
        }));

        return new OciLayoutImage(layoutPath, tag, indexDigest, indexJson, manifestDigests, manifestBytes, blobCount);
    }

    /// <summary>sha256 digest string ("sha256:hex") of <paramref name="content"/>.</summary>
    public static string Sha256Digest(ReadOnlySpan<byte> content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    private static (byte[] Tar, byte[] Gzip) MakeLayer(string text)
    {
        using var tarStream = new MemoryStream();
        using (var tar = new TarWriter(tarStream, TarEntryFormat.Pax, leaveOpen: true))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "hello.txt")
            {
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                ModificationTime = FixedTime,
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
            });
        }

        var tarBytes = tarStream.ToArray();
        using var gzipStream = new MemoryStream();
        using (var gzip = new GZipStream(gzipStream, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(tarBytes);
        }

        return (tarBytes, gzipStream.ToArray());
    }

    private static byte[] Json(object value) => JsonSerializer.SerializeToUtf8Bytes(value);

    /// <summary>The digest <c>docker push</c> reports for what it pushed.</summary>
    public static string PushedDigest(ProcessResult push)
    {
        var match = PushDigestPattern().Match(push.StandardOutput);
        Assert.True(match.Success, $"no digest in the push output{Environment.NewLine}{push.Describe()}");
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"digest: (sha256:[0-9a-f]{64}) size: \d+")]
    private static partial Regex PushDigestPattern();
}
