using System.Text;
using Dockyard.Registry.Errors;
using Dockyard.Registry.Manifests;

namespace Dockyard.Registry.Tests.Manifests;

public class ManifestParserTests
{
    private const string D1 = "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7";
    private const string D2 = "sha256:9834876dcfb05cb167a5c24953eba58c4ac89b1adf57f28f2f9d09af107ee8f0";
    private const string D3 = "sha256:3c3a4604a545cdc127456d94e421cd355bca5b528f4a9c1905b15da2eb4a4c6b";
    private const string D4 = "sha256:ec4b8955958665577945c89419d1af06b5f7636b4ac3da7f12184802ad867736";
    private const string D5 = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    private const string OciManifest = $$"""
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.oci.image.manifest.v1+json",
          "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": "{{D1}}",
            "size": 7023
          },
          "layers": [
            {
              "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
              "digest": "{{D2}}",
              "size": 32654
            },
            {
              "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
              "digest": "{{D3}}",
              "size": 16724,
              "annotations": { "org.opencontainers.image.title": "layer2.tar.gz" }
            },
            {
              "mediaType": "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
              "digest": "{{D4}}",
              "size": 73109,
              "urls": [ "https://mirror.example.com/layers/base.tar.gz" ]
            }
          ],
          "annotations": { "com.example.key1": "value1", "com.example.key2": "value2" }
        }
        """;

    private const string OciArtifact = $$"""
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.oci.image.manifest.v1+json",
          "artifactType": "application/vnd.example.sbom.v1+json",
          "config": {
            "mediaType": "application/vnd.oci.empty.v1+json",
            "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
            "size": 2,
            "data": "e30="
          },
          "layers": [
            { "mediaType": "application/spdx+json", "digest": "{{D2}}", "size": 1024 }
          ],
          "subject": {
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": "{{D3}}",
            "size": 1234
          },
          "annotations": { "org.opencontainers.image.created": "2024-01-02T03:04:05Z" }
        }
        """;

    private const string OciIndex = $$"""
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.oci.image.index.v1+json",
          "artifactType": "application/vnd.example.signatures",
          "manifests": [
            {
              "mediaType": "application/vnd.oci.image.manifest.v1+json",
              "digest": "{{D1}}",
              "size": 7143,
              "platform": { "architecture": "ppc64le", "os": "linux" }
            },
            {
              "mediaType": "application/vnd.oci.image.manifest.v1+json",
              "digest": "{{D2}}",
              "size": 7682,
              "platform": { "architecture": "arm", "os": "linux", "variant": "v7", "features": [ "sse4" ] }
            },
            {
              "mediaType": "application/vnd.oci.image.manifest.v1+json",
              "digest": "{{D3}}",
              "size": 1100,
              "platform": {
                "architecture": "amd64",
                "os": "windows",
                "os.version": "10.0.17763.1457",
                "os.features": [ "win32k" ]
              },
              "annotations": { "com.example.role": "server" }
            }
          ],
          "subject": {
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "digest": "{{D4}}",
            "size": 999
          },
          "annotations": { "com.example.key1": "value1" }
        }
        """;

    private const string DockerManifest = $$"""
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
          "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": 7023,
            "digest": "{{D1}}"
          },
          "layers": [
            {
              "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
              "size": 32654,
              "digest": "{{D2}}"
            },
            {
              "mediaType": "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
              "size": 5000000,
              "digest": "{{D3}}",
              "urls": [ "https://mcr.microsoft.com/v2/windows/servercore/blobs/{{D3}}" ]
            }
          ]
        }
        """;

    private const string DockerManifestList = $$"""
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
          "manifests": [
            {
              "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
              "size": 7143,
              "digest": "{{D1}}",
              "platform": { "architecture": "ppc64le", "os": "linux" }
            },
            {
              "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
              "size": 7682,
              "digest": "{{D2}}",
              "platform": { "architecture": "arm64", "os": "linux", "variant": "v8" }
            }
          ]
        }
        """;

    // Happy paths

    [Fact]
    public void Parse_OciManifest_ReturnsConfigLayersAndAnnotations()
    {
        var manifest = Parse(OciManifest, MediaTypes.OciManifest);

        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
        Assert.False(manifest.IsIndex);
        Assert.NotNull(manifest.Config);
        Assert.Equal(MediaTypes.OciConfig, manifest.Config.MediaType);
        Assert.Equal(D1, manifest.Config.Digest.Value);
        Assert.Equal(7023, manifest.Config.Size);
        Assert.Equal(3, manifest.Layers.Count);
        Assert.Equal(D2, manifest.Layers[0].Digest.Value);
        Assert.Equal("layer2.tar.gz", manifest.Layers[1].Annotations!["org.opencontainers.image.title"]);
        Assert.Equal(["https://mirror.example.com/layers/base.tar.gz"], manifest.Layers[2].Urls!);
        Assert.Empty(manifest.Manifests);
        Assert.Null(manifest.Subject);
        Assert.Equal("value2", manifest.Annotations!["com.example.key2"]);
    }

    [Fact]
    public void Parse_OciManifestWithoutArtifactType_ArtifactTypeIsConfigMediaType() =>
        Assert.Equal(MediaTypes.OciConfig, Parse(OciManifest, MediaTypes.OciManifest).ArtifactType);

    [Fact]
    public void Parse_OciArtifactWithSubject_ReturnsSubjectAndArtifactType()
    {
        var manifest = Parse(OciArtifact, MediaTypes.OciManifest);

        Assert.Equal("application/vnd.example.sbom.v1+json", manifest.ArtifactType);
        Assert.NotNull(manifest.Subject);
        Assert.Equal(MediaTypes.OciManifest, manifest.Subject.MediaType);
        Assert.Equal(D3, manifest.Subject.Digest.Value);
        Assert.Equal(1234, manifest.Subject.Size);
        Assert.Equal(MediaTypes.OciEmpty, manifest.Config!.MediaType);
        Assert.Single(manifest.Layers);
    }

    [Fact]
    public void Parse_OciIndex_ReturnsManifestsWithPlatforms()
    {
        var index = Parse(OciIndex, MediaTypes.OciIndex);

        Assert.Equal(MediaTypes.OciIndex, index.MediaType);
        Assert.True(index.IsIndex);
        Assert.Null(index.Config);
        Assert.Empty(index.Layers);
        Assert.Equal(3, index.Manifests.Count);
        Assert.Equal(new Platform { Os = "linux", Architecture = "ppc64le" }, index.Manifests[0].Platform);
        Assert.Equal(new Platform { Os = "linux", Architecture = "arm", Variant = "v7" }, index.Manifests[1].Platform);
        Assert.Equal(
            new Platform { Os = "windows", Architecture = "amd64", OsVersion = "10.0.17763.1457" },
            index.Manifests[2].Platform);
        Assert.Equal("server", index.Manifests[2].Annotations!["com.example.role"]);
        Assert.Equal("value1", index.Annotations!["com.example.key1"]);
    }

    [Fact]
    public void Parse_OciIndexWithSubject_ReturnsSubjectAndArtifactType()
    {
        var index = Parse(OciIndex, MediaTypes.OciIndex);

        Assert.Equal("application/vnd.example.signatures", index.ArtifactType);
        Assert.Equal(D4, index.Subject?.Digest.Value);
    }

    [Fact]
    public void Parse_DockerManifest_ReturnsConfigAndLayers()
    {
        var manifest = Parse(DockerManifest, MediaTypes.DockerManifest);

        Assert.Equal(MediaTypes.DockerManifest, manifest.MediaType);
        Assert.Equal(MediaTypes.DockerConfig, manifest.Config!.MediaType);
        Assert.Equal(MediaTypes.DockerConfig, manifest.ArtifactType);
        Assert.Equal(2, manifest.Layers.Count);
        Assert.Null(manifest.Annotations);
    }

    [Fact]
    public void Parse_DockerManifestList_ReturnsManifestsWithPlatforms()
    {
        var list = Parse(DockerManifestList, MediaTypes.DockerManifestList);

        Assert.Equal(MediaTypes.DockerManifestList, list.MediaType);
        Assert.True(list.IsIndex);
        Assert.Equal(2, list.Manifests.Count);
        Assert.Equal(MediaTypes.DockerManifest, list.Manifests[1].MediaType);
        Assert.Equal(new Platform { Os = "linux", Architecture = "arm64", Variant = "v8" }, list.Manifests[1].Platform);
        Assert.Null(list.ArtifactType);
    }

    [Fact]
    public void Parse_DockerManifestWithSubject_IgnoresSubject()
    {
        // Docker schema2 has no subject; like distribution, treat it as an unknown field.
        var body = Edit(
            DockerManifest,
            "\"layers\"",
            $$"""
            "subject": { "mediaType": "{{MediaTypes.DockerManifest}}", "digest": "{{D5}}", "size": 1 },
            "artifactType": "application/vnd.example",
            "layers"
            """);

        var manifest = Parse(body, MediaTypes.DockerManifest);

        Assert.Null(manifest.Subject);
        Assert.Equal(MediaTypes.DockerConfig, manifest.ArtifactType);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("application/json")]
    [InlineData("application/octet-stream")]
    [InlineData("application/json; charset=utf-8")]
    public void Parse_GenericOrAbsentContentType_UsesBodyMediaType(string? contentType) =>
        Assert.Equal(MediaTypes.OciIndex, Parse(OciIndex, contentType).MediaType);

    [Theory]
    [InlineData("application/vnd.oci.image.manifest.v1+json; charset=utf-8")]
    [InlineData("application/vnd.oci.image.manifest.v1+json;charset=utf-8")]
    [InlineData("  application/vnd.oci.image.manifest.v1+json  ")]
    [InlineData("Application/VND.OCI.Image.Manifest.v1+JSON")]
    public void Parse_ContentTypeWithParametersOrCase_MatchesBodyMediaType(string contentType) =>
        Assert.Equal(MediaTypes.OciManifest, Parse(OciManifest, contentType).MediaType);

    [Fact]
    public void Parse_NoBodyMediaType_UsesContentType()
    {
        var body = RemoveTopLevelMediaType(OciManifest, MediaTypes.OciManifest);

        Assert.Equal(MediaTypes.OciManifest, Parse(body, MediaTypes.OciManifest).MediaType);
    }

    [Fact]
    public void Parse_UnknownFields_AreIgnored()
    {
        var body = Edit(OciManifest, "\"layers\"", "\"future\": { \"nested\": [ 1, { \"x\": null } ] }, \"layers\"");

        Assert.Equal(3, Parse(body, MediaTypes.OciManifest).Layers.Count);
    }

    [Fact]
    public void Parse_EmptyLayersArray_IsAccepted() =>
        Assert.Empty(Parse(Minimal(layers: "[]"), MediaTypes.OciManifest).Layers);

    [Fact]
    public void Parse_NullOptionalFields_TreatedAsAbsent()
    {
        var body = Edit(
            Edit(OciArtifact, "\"subject\": {", "\"subject\": null, \"unused\": {"),
            "\"annotations\": {",
            "\"annotations\": null, \"unused2\": {");

        var manifest = Parse(body, null);

        Assert.Null(manifest.Subject);
        Assert.Null(manifest.Annotations);
    }

    [Fact]
    public void Parse_EscapedPropertyNames_AreRecognized()
    {
        var body = Edit(OciManifest, "\"layers\"", "\"\\u006cayers\"");

        Assert.Equal(3, Parse(body, null).Layers.Count);
    }

    // ReferencedBlobs

    [Fact]
    public void ReferencedBlobs_OciManifest_ConfigAndLayersWithoutForeign()
    {
        var blobs = Parse(OciManifest, null).ReferencedBlobs().Select(d => d.Digest.Value);

        Assert.Equal([D1, D2, D3], blobs);
    }

    [Fact]
    public void ReferencedBlobs_DockerForeignLayer_Excluded()
    {
        var blobs = Parse(DockerManifest, null).ReferencedBlobs().Select(d => d.Digest.Value);

        Assert.Equal([D1, D2], blobs);
    }

    [Fact]
    public void ReferencedBlobs_NonDistributableLayerWithoutUrls_Included()
    {
        var body = Minimal(layers: $$"""
            [ { "mediaType": "application/vnd.oci.image.layer.nondistributable.v1.tar", "digest": "{{D2}}", "size": 1 } ]
            """);

        Assert.Equal(2, Parse(body, null).ReferencedBlobs().Count());
    }

    [Fact]
    public void ReferencedBlobs_OrdinaryLayerWithUrls_Included()
    {
        var body = Minimal(layers: $$"""
            [ { "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "{{D2}}", "size": 1, "urls": [ "https://example.com/x" ] } ]
            """);

        Assert.Equal(2, Parse(body, null).ReferencedBlobs().Count());
    }

    [Fact]
    public void ReferencedBlobs_Index_Empty() => Assert.Empty(Parse(OciIndex, null).ReferencedBlobs());

    // Errors: document level

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"schemaVersion\": 2,}")]
    [InlineData("{\"schemaVersion\": 2} {}")]
    [InlineData("{\"schemaVersion\": 2} // comment")]
    [InlineData("not json")]
    public void Parse_InvalidJson_ThrowsManifestInvalid(string body) =>
        AssertInvalid(body, null, "not valid JSON");

    [Theory]
    [InlineData("[]")]
    [InlineData("\"manifest\"")]
    [InlineData("2")]
    [InlineData("null")]
    public void Parse_NotAnObject_ThrowsManifestInvalid(string body) => AssertInvalid(body, null, "JSON object");

    [Fact]
    public void Parse_MissingSchemaVersion_ThrowsManifestInvalid() =>
        AssertInvalid(Edit(OciManifest, "\"schemaVersion\": 2,", string.Empty), null, "no schemaVersion", "schemaVersion");

    [Theory]
    [InlineData("3")]
    [InlineData("0")]
    public void Parse_SchemaVersionNot2_ThrowsManifestInvalid(string version) =>
        AssertInvalid(WithSchemaVersion(OciManifest, version), null, "only 2 is supported", "schemaVersion");

    [Theory]
    [InlineData("\"2\"")]
    [InlineData("2.0")]
    [InlineData("2.5")]
    [InlineData("null")]
    public void Parse_SchemaVersionWrongType_ThrowsManifestInvalid(string version) =>
        AssertInvalid(WithSchemaVersion(OciManifest, version), null, "schemaVersion must be an integer", "schemaVersion");

    [Fact]
    public void Parse_DockerSchema1Document_ThrowsNotSupported()
    {
        const string schema1 = """
            {
              "schemaVersion": 1,
              "name": "library/hello",
              "tag": "latest",
              "architecture": "amd64",
              "fsLayers": [ { "blobSum": "sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4" } ],
              "history": [ { "v1Compatibility": "{}" } ],
              "signatures": []
            }
            """;

        AssertInvalid(schema1, null, "schema1 manifests are not supported");
    }

    [Theory]
    [InlineData(MediaTypes.DockerSchema1)]
    [InlineData(MediaTypes.DockerSchema1Signed)]
    public void Parse_DockerSchema1ContentType_ThrowsNotSupported(string contentType) =>
        AssertInvalid(OciManifest, contentType, "schema1 manifests are not supported");

    [Fact]
    public void Parse_DockerSchema1BodyMediaType_ThrowsNotSupported() =>
        AssertInvalid(
            WithTopLevelMediaType(OciManifest, MediaTypes.OciManifest, MediaTypes.DockerSchema1),
            null,
            "schema1 manifests are not supported");

    [Fact]
    public void Parse_UnsupportedBodyMediaType_ThrowsManifestInvalid() =>
        AssertInvalid(
            WithTopLevelMediaType(OciManifest, MediaTypes.OciManifest, "application/vnd.example.thing.v1+json"),
            null,
            "not a supported manifest type",
            "mediaType");

    [Theory]
    [InlineData(MediaTypes.OciConfig)]
    [InlineData("text/plain")]
    [InlineData("application/vnd.oci.image.manifest.v2+json")]
    public void Parse_UnsupportedContentType_ThrowsManifestInvalid(string contentType) =>
        AssertInvalid(OciManifest, contentType, "Content-Type");

    [Theory]
    [InlineData(MediaTypes.OciIndex)]
    [InlineData(MediaTypes.DockerManifest)]
    [InlineData(MediaTypes.DockerManifestList + "; charset=utf-8")]
    public void Parse_BodyMediaTypeDisagreesWithContentType_ThrowsManifestInvalid(string contentType) =>
        AssertInvalid(OciManifest, contentType, "does not match the Content-Type");

    [Theory]
    [InlineData(null)]
    [InlineData("application/json")]
    public void Parse_NoMediaTypeAnywhere_ThrowsManifestInvalid(string? contentType) =>
        AssertInvalid(RemoveTopLevelMediaType(OciManifest, MediaTypes.OciManifest), contentType, "no mediaType", "mediaType");

    [Fact]
    public void Parse_ImageManifestWithoutConfig_ThrowsManifestInvalid()
    {
        var body = $$"""{ "schemaVersion": 2, "mediaType": "{{MediaTypes.OciManifest}}", "layers": [] }""";

        AssertInvalid(body, null, "config", "config");
    }

    [Fact]
    public void Parse_ImageManifestWithoutLayers_ThrowsManifestInvalid()
    {
        var body = $$"""
            { "schemaVersion": 2, "mediaType": "{{MediaTypes.DockerManifest}}",
              "config": { "mediaType": "{{MediaTypes.DockerConfig}}", "digest": "{{D1}}", "size": 1 } }
            """;

        AssertInvalid(body, null, "layers array", "layers");
    }

    [Fact]
    public void Parse_IndexWithoutManifests_ThrowsManifestInvalid() =>
        AssertInvalid($$"""{ "schemaVersion": 2, "mediaType": "{{MediaTypes.OciIndex}}" }""", null, "manifests array", "manifests");

    [Fact]
    public void Parse_ManifestDocumentPushedAsIndex_ThrowsManifestInvalid() =>
        AssertInvalid(RemoveTopLevelMediaType(OciManifest, MediaTypes.OciManifest), MediaTypes.OciIndex, "manifests array", "manifests");

    [Fact]
    public void Parse_DuplicateTopLevelField_ThrowsManifestInvalid()
    {
        var body = Edit(OciIndex, "\"manifests\":", $"\"mediaType\": \"{MediaTypes.OciManifest}\", \"manifests\":");

        AssertInvalid(body, null, "more than one 'mediaType'", "mediaType");
    }

    [Fact]
    public void Parse_DuplicateDescriptorField_ThrowsManifestInvalid()
    {
        var body = Minimal(layers: $$"""[ { "mediaType": "a/b", "digest": "{{D2}}", "digest": "{{D3}}", "size": 1 } ]""");

        AssertInvalid(body, null, "more than one", "layers[0].digest");
    }

    [Fact]
    public void Parse_DuplicateAnnotationKey_ThrowsManifestInvalid()
    {
        var body = Edit(OciIndex, "\"com.example.key1\": \"value1\"", "\"k\": \"1\", \"k\": \"2\"");

        AssertInvalid(body, null, "more than one 'k'", "annotations.k");
    }

    // Errors: descriptors

    [Fact]
    public void Parse_DescriptorWithoutMediaType_ThrowsManifestInvalid() =>
        AssertInvalid(Minimal(layers: $$"""[ { "digest": "{{D2}}", "size": 1 } ]"""), null, "layers[0].mediaType is required", "layers[0].mediaType");

    [Fact]
    public void Parse_DescriptorWithEmptyMediaType_ThrowsManifestInvalid() =>
        AssertInvalid(Minimal(config: $$"""{ "mediaType": "", "digest": "{{D1}}", "size": 1 }"""), null, "must not be empty", "config.mediaType");

    [Theory]
    [InlineData("application")]
    [InlineData("application/")]
    [InlineData("/json")]
    [InlineData("application/json\r\nX-Evil: 1")]
    [InlineData("application/js on")]
    public void Parse_DescriptorWithMalformedMediaType_ThrowsManifestInvalid(string mediaType)
    {
        var escaped = mediaType.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

        AssertInvalid(Minimal(layers: $$"""[ { "mediaType": "{{escaped}}", "digest": "{{D2}}", "size": 1 } ]"""), null, "not a valid media type", "layers[0].mediaType");
    }

    [Fact]
    public void Parse_DescriptorWithoutDigest_ThrowsManifestInvalid() =>
        AssertInvalid(Minimal(config: """{ "mediaType": "a/b", "size": 1 }"""), null, "config.digest is required", "config.digest");

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("sha256:B5B2B2C507A0944348E0303114D8D93AAAA081732B86451D9BCE1F432A537BC7")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("")]
    public void Parse_DescriptorWithInvalidDigest_ThrowsManifestInvalidNamingField(string digest) =>
        AssertInvalid(
            Minimal(layers: $$"""[ { "mediaType": "a/b", "digest": "{{D2}}", "size": 1 }, { "mediaType": "a/b", "digest": "{{digest}}", "size": 1 } ]"""),
            null,
            "not a valid sha256 or sha512 digest",
            "layers[1].digest");

    [Fact]
    public void Parse_SubjectWithInvalidDigest_ThrowsManifestInvalidNamingField() =>
        AssertInvalid(
            Edit(OciArtifact, $"\"{D3}\"", "\"sha256:nope\""),
            null,
            "not a valid",
            "subject.digest");

    [Fact]
    public void Parse_DescriptorWithoutSize_ThrowsManifestInvalid() =>
        AssertInvalid(Minimal(config: $$"""{ "mediaType": "a/b", "digest": "{{D1}}" }"""), null, "config.size is required", "config.size");

    [Fact]
    public void Parse_DescriptorWithNegativeSize_ThrowsManifestInvalid() =>
        AssertInvalid(Minimal(config: $$"""{ "mediaType": "a/b", "digest": "{{D1}}", "size": -1 }"""), null, "must not be negative", "config.size");

    [Theory]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("\"12\"")]
    [InlineData("99999999999999999999")]
    [InlineData("true")]
    public void Parse_DescriptorWithNonIntegerSize_ThrowsManifestInvalid(string size) =>
        AssertInvalid(Minimal(config: $$"""{ "mediaType": "a/b", "digest": "{{D1}}", "size": {{size}} }"""), null, "config.size must be an integer", "config.size");

    [Theory]
    [InlineData("\"ftp://example.com/x\"")]
    [InlineData("\"relative/path\"")]
    [InlineData("42")]
    public void Parse_DescriptorWithBadUrl_ThrowsManifestInvalid(string url) =>
        AssertInvalid(
            Minimal(layers: $$"""[ { "mediaType": "a/b", "digest": "{{D2}}", "size": 1, "urls": [ {{url}} ] } ]"""),
            null,
            "layers[0].urls[0]",
            "layers[0].urls[0]");

    [Fact]
    public void Parse_IndexEntryPlatformWithoutOs_ThrowsManifestInvalid() =>
        AssertInvalid(
            Edit(OciIndex, "\"architecture\": \"ppc64le\", \"os\": \"linux\"", "\"architecture\": \"ppc64le\""),
            null,
            "manifests[0].platform.os is required",
            "manifests[0].platform.os");

    [Fact]
    public void Parse_IndexEntryPlatformWithoutArchitecture_ThrowsManifestInvalid() =>
        AssertInvalid(
            Edit(DockerManifestList, "\"architecture\": \"arm64\", ", string.Empty),
            null,
            "platform.architecture is required",
            "manifests[1].platform.architecture");

    // Errors: wrong JSON types

    [Theory]
    [InlineData("\"config\": {", "\"config\": [ {", "config", "a descriptor object")]
    [InlineData("\"layers\": [", "\"layers\": { \"x\": [", "layers", "an array")]
    [InlineData("\"annotations\": { \"com.example.key1\": \"value1\"", "\"annotations\": { \"com.example.key1\": 1", "annotations.com.example.key1", "a string")]
    [InlineData("\"annotations\": { \"com.example.key1\"", "\"annotations\": [ { \"com.example.key1\"", "annotations", "an object")]
    [InlineData("\"mediaType\": \"application/vnd.oci.image.manifest.v1+json\"", "\"mediaType\": 1", "mediaType", "a string")]
    [InlineData("\"size\": 7023", "\"size\": \"7023\"", "config.size", "an integer")]
    [InlineData("\"urls\": [", "\"urls\": \"x\", \"u\": [", "layers[2].urls", "an array")]
    public void Parse_FieldWithWrongJsonType_ThrowsManifestInvalid(string find, string replace, string field, string expected)
    {
        AssertInvalid(Edit(OciManifest, find, replace), null, $"{field} must be {expected}", field);
    }

    [Fact]
    public void Parse_LayerIsNotAnObject_ThrowsManifestInvalid() =>
        AssertInvalid(Minimal(layers: $$"""[ "{{D2}}" ]"""), null, "layers[0] must be a descriptor object", "layers[0]");

    [Fact]
    public void Parse_ManifestsIsNotAnArray_ThrowsManifestInvalid() =>
        AssertInvalid($$"""{ "schemaVersion": 2, "mediaType": "{{MediaTypes.OciIndex}}", "manifests": {} }""", null, "manifests must be an array", "manifests");

    [Fact]
    public void Parse_PlatformIsNotAnObject_ThrowsManifestInvalid() =>
        AssertInvalid(
            Edit(OciIndex, "\"platform\": { \"architecture\": \"ppc64le\", \"os\": \"linux\" }", "\"platform\": \"linux/ppc64le\""),
            null,
            "manifests[0].platform must be an object",
            "manifests[0].platform");

    [Fact]
    public void Parse_ArtifactTypeIsNotAString_ThrowsManifestInvalid() =>
        AssertInvalid(
            Edit(OciArtifact, "\"application/vnd.example.sbom.v1+json\"", "{}"),
            null,
            "artifactType must be a string",
            "artifactType");

    // Helpers

    private static ParsedManifest Parse(string body, string? contentType) =>
        ManifestParser.Parse(Encoding.UTF8.GetBytes(body), contentType);

    private static void AssertInvalid(string body, string? contentType, string messagePart, string? field = null)
    {
        var ex = Assert.Throws<RegistryException>(() => Parse(body, contentType));

        Assert.Equal(RegistryErrorCode.ManifestInvalid, ex.Code);
        Assert.Contains(messagePart, ex.Message, StringComparison.Ordinal);
        if (field is not null)
        {
            var detail = Assert.IsAssignableFrom<IReadOnlyDictionary<string, string>>(ex.Detail);
            Assert.Equal(field, detail["field"]);
        }
    }

    private static string Minimal(string? config = null, string layers = "[]") =>
        $$"""
        {
          "schemaVersion": 2,
          "mediaType": "{{MediaTypes.OciManifest}}",
          "config": {{config ?? $$"""{ "mediaType": "{{MediaTypes.OciConfig}}", "digest": "{{D1}}", "size": 2 }"""}},
          "layers": {{layers}}
        }
        """;

    /// <summary>Replaces text in a sample document, failing if it is not there so edits cannot silently no-op.</summary>
    private static string Edit(string body, string find, string replace)
    {
        Assert.Contains(find, body, StringComparison.Ordinal);
        return body.Replace(find, replace, StringComparison.Ordinal);
    }

    private static string WithSchemaVersion(string body, string version) =>
        Edit(body, "\"schemaVersion\": 2", $"\"schemaVersion\": {version}");

    private static string WithTopLevelMediaType(string body, string current, string replacement) =>
        Edit(body, $"\"mediaType\": \"{current}\",\n  \"config\"", $"\"mediaType\": \"{replacement}\",\n  \"config\"");

    private static string RemoveTopLevelMediaType(string body, string current) =>
        Edit(body, $"  \"mediaType\": \"{current}\",\n  \"config\"", "  \"config\"");
}
