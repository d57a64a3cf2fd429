namespace Dockyard.Server.Tests.Hosting;

/// <summary>Builds manifest documents for tests.</summary>
public static class TestManifests
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

    public static string Image(string mediaType, string configDigest, long configSize, string layerDigest, long layerSize, string? subject = null, long subjectSize = 0, string? artifactType = null, IReadOnlyDictionary<string, string>? annotations = null)
    {
        var annotationsJson = annotations is null
            ? string.Empty
            : ",\"annotations\":" + System.Text.Json.JsonSerializer.Serialize(annotations);
        var configType = mediaType == DockerManifest ? "application/vnd.docker.container.image.v1+json" : "application/vnd.oci.image.config.v1+json";
        var layerType = mediaType == DockerManifest ? "application/vnd.docker.image.rootfs.diff.tar.gzip" : "application/vnd.oci.image.layer.v1.tar+gzip";
        var subjectJson = subject is null ? string.Empty : $",\"subject\":{{\"mediaType\":\"{OciManifest}\",\"digest\":\"{subject}\",\"size\":{subjectSize}}}";
        var artifactJson = artifactType is null ? string.Empty : $",\"artifactType\":\"{artifactType}\"";
        return $"{{\"schemaVersion\":2,\"mediaType\":\"{mediaType}\"{artifactJson},\"config\":{{\"mediaType\":\"{configType}\",\"digest\":\"{configDigest}\",\"size\":{configSize}}},\"layers\":[{{\"mediaType\":\"{layerType}\",\"digest\":\"{layerDigest}\",\"size\":{layerSize}}}]{subjectJson}{annotationsJson}}}";
    }

    public static string Index(string mediaType, params (string Digest, long Size, string ChildMediaType, string Architecture)[] children)
    {
        var entries = string.Join(",", children.Select(c =>
            $"{{\"mediaType\":\"{c.ChildMediaType}\",\"digest\":\"{c.Digest}\",\"size\":{c.Size},\"platform\":{{\"os\":\"linux\",\"architecture\":\"{c.Architecture}\"}}}}"));
        return $"{{\"schemaVersion\":2,\"mediaType\":\"{mediaType}\",\"manifests\":[{entries}]}}";
    }
}
