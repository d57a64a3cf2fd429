using System.Globalization;
using System.Text;
using System.Text.Json;
using Dockyard.Registry.Errors;

namespace Dockyard.Registry.Manifests;

/// <summary>
/// Parses and validates pushed manifests (OCI image manifest and index, Docker schema2 manifest and
/// manifest list) in one forward pass over the bytes with <see cref="Utf8JsonReader"/>, so no DOM is built.
/// Unknown fields are skipped, as the specs require; known fields must have the right JSON type.
/// </summary>
public static class ManifestParser
{
    // Field bits for duplicate detection: a document with two "mediaType" or two "layers" keys could be read
    // differently by another parser, which is how manifest-confusion bugs start, so duplicates are rejected.
    private const int SeenSchemaVersion = 1 << 0;
    private const int SeenMediaType = 1 << 1;
    private const int SeenArtifactType = 1 << 2;
    private const int SeenConfig = 1 << 3;
    private const int SeenLayers = 1 << 4;
    private const int SeenManifests = 1 << 5;
    private const int SeenSubject = 1 << 6;
    private const int SeenAnnotations = 1 << 7;
    private const int SeenDigest = 1 << 8;
    private const int SeenSize = 1 << 9;
    private const int SeenUrls = 1 << 10;
    private const int SeenPlatform = 1 << 11;
    private const int SeenOs = 1 << 12;
    private const int SeenArchitecture = 1 << 13;
    private const int SeenVariant = 1 << 14;
    private const int SeenOsVersion = 1 << 15;

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 64,
    };

    /// <summary>
    /// Parses <paramref name="body"/> as a manifest pushed with <paramref name="contentType"/>.
    /// </summary>
    /// <param name="body">The exact bytes the client pushed.</param>
    /// <param name="contentType">
    /// The request's Content-Type header, parameters allowed. Null, empty, <c>application/json</c> and
    /// <c>application/octet-stream</c> mean "use the body's <c>mediaType</c>"; a manifest media type must
    /// agree with the body's <c>mediaType</c> when the body has one.
    /// </param>
    /// <returns>The validated manifest.</returns>
    /// <exception cref="RegistryException">
    /// With <see cref="RegistryErrorCode.ManifestInvalid"/> for any malformed, inconsistent or unsupported document.
    /// </exception>
    public static ParsedManifest Parse(ReadOnlySpan<byte> body, string? contentType)
    {
        var headerType = ManifestTypeFromContentType(contentType);
        try
        {
            return ParseDocument(body, headerType);
        }
        catch (JsonException ex)
        {
            throw Invalid(
                "The manifest is not valid JSON.",
                Detail(
                    "line",
                    ((ex.LineNumber ?? 0) + 1).ToString(CultureInfo.InvariantCulture),
                    "bytePositionInLine",
                    (ex.BytePositionInLine ?? 0).ToString(CultureInfo.InvariantCulture)));
        }
    }

    private static ParsedManifest ParseDocument(ReadOnlySpan<byte> body, string? headerType)
    {
        var reader = new Utf8JsonReader(body, ReaderOptions);
        // An empty body makes Read throw, so false here cannot happen; the check just keeps the flow obvious.
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw Invalid("The manifest must be a JSON object.");
        }

        var seen = 0;
        int? schemaVersion = null;
        string? bodyType = null;
        string? artifactType = null;
        Descriptor? config = null;
        List<Descriptor>? layers = null;
        List<Descriptor>? manifests = null;
        Descriptor? subject = null;
        Dictionary<string, string>? annotations = null;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (Property(ref reader, "schemaVersion"u8, SeenSchemaVersion, ref seen, null))
            {
                // Doubles like 2.0 are refused too: the schemas say integer, and equal documents should parse alike.
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var version))
                {
                    throw WrongType("schemaVersion", "an integer");
                }

                schemaVersion = version;
            }
            else if (Property(ref reader, "mediaType"u8, SeenMediaType, ref seen, null))
            {
                bodyType = ReadString(ref reader, "mediaType");
            }
            else if (Property(ref reader, "artifactType"u8, SeenArtifactType, ref seen, null))
            {
                artifactType = ReadMediaType(ref reader, "artifactType");
            }
            else if (Property(ref reader, "config"u8, SeenConfig, ref seen, null))
            {
                config = ReadOptionalDescriptor(ref reader, "config");
            }
            else if (Property(ref reader, "layers"u8, SeenLayers, ref seen, null))
            {
                layers = ReadDescriptorArray(ref reader, "layers", readPlatform: false);
            }
            else if (Property(ref reader, "manifests"u8, SeenManifests, ref seen, null))
            {
                manifests = ReadDescriptorArray(ref reader, "manifests", readPlatform: true);
            }
            else if (Property(ref reader, "subject"u8, SeenSubject, ref seen, null))
            {
                subject = ReadOptionalDescriptor(ref reader, "subject");
            }
            else if (Property(ref reader, "annotations"u8, SeenAnnotations, ref seen, null))
            {
                annotations = ReadAnnotations(ref reader, "annotations");
            }
            else
            {
                reader.Skip();
            }
        }

        // The reader rejects anything but whitespace after the root object; this read makes it look.
        if (reader.Read())
        {
            throw Invalid("The manifest has content after its JSON object.");
        }

        var mediaType = EffectiveMediaType(schemaVersion, bodyType, headerType);
        var isOci = mediaType is MediaTypes.OciManifest or MediaTypes.OciIndex;

        if (MediaTypes.IsImageManifest(mediaType))
        {
            if (config is null)
            {
                throw Invalid("An image manifest must have a config descriptor.", Detail("field", "config"));
            }

            if (layers is null)
            {
                throw Invalid("An image manifest must have a layers array.", Detail("field", "layers"));
            }

            return new ParsedManifest
            {
                MediaType = mediaType,
                Config = config,
                Layers = layers,
                Subject = isOci ? subject : null,
                // What the referrers API reports: artifactType, else the config's media type.
                ArtifactType = (isOci ? artifactType : null) ?? config.MediaType,
                Annotations = annotations,
            };
        }

        if (manifests is null)
        {
            throw Invalid("An index must have a manifests array.", Detail("field", "manifests"));
        }

        return new ParsedManifest
        {
            MediaType = mediaType,
            Manifests = manifests,
            Subject = isOci ? subject : null,
            ArtifactType = isOci ? artifactType : null,
            Annotations = annotations,
        };
    }

    /// <summary>Decides the manifest's type from the schema version, the body's mediaType and the header.</summary>
    private static string EffectiveMediaType(int? schemaVersion, string? bodyType, string? headerType)
    {
        if (schemaVersion == 1 || (bodyType is not null && IsSchema1(bodyType)))
        {
            throw Schema1NotSupported();
        }

        if (schemaVersion is null)
        {
            throw Invalid("The manifest has no schemaVersion; it must be 2.", Detail("field", "schemaVersion"));
        }

        if (schemaVersion != 2)
        {
            throw Invalid(
                $"The manifest's schemaVersion is {schemaVersion}; only 2 is supported.",
                Detail("field", "schemaVersion"));
        }

        string? canonicalBodyType = null;
        if (bodyType is not null)
        {
            canonicalBodyType = CanonicalManifestType(bodyType)
                ?? throw Invalid(
                    $"The manifest's mediaType '{bodyType}' is not a supported manifest type.",
                    Detail("field", "mediaType", "mediaType", bodyType));
        }

        if (canonicalBodyType is not null && headerType is not null && canonicalBodyType != headerType)
        {
            throw Invalid(
                $"The manifest's mediaType '{bodyType}' does not match the Content-Type '{headerType}'.",
                Detail("mediaType", bodyType!, "contentType", headerType));
        }

        return canonicalBodyType ?? headerType
            ?? throw Invalid(
                "The manifest has no mediaType and the request's Content-Type does not name a manifest type.",
                Detail("field", "mediaType"));
    }

    /// <summary>
    /// The manifest type a Content-Type header names, or null for an absent or generic header, which defers to
    /// the body. A header naming any other type is refused rather than ignored: the client said what it pushes.
    /// </summary>
    private static string? ManifestTypeFromContentType(string? contentType)
    {
        if (contentType is null)
        {
            return null;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var type = (semicolon >= 0 ? contentType.AsSpan(0, semicolon) : contentType.AsSpan()).Trim();
        if (type.IsEmpty
            || type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || type.Equals(MediaTypes.OctetStream, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (IsSchema1(type))
        {
            throw Schema1NotSupported();
        }

        return CanonicalManifestType(type)
            ?? throw Invalid(
                $"The Content-Type '{type}' is not a supported manifest type.",
                Detail("contentType", type.ToString()));
    }

    /// <summary>Media types are case-insensitive (RFC 6838), so map any casing to the constant we serve.</summary>
    private static string? CanonicalManifestType(ReadOnlySpan<char> type)
    {
        foreach (var candidate in (ReadOnlySpan<string>)[MediaTypes.OciManifest, MediaTypes.OciIndex, MediaTypes.DockerManifest, MediaTypes.DockerManifestList])
        {
            if (type.Equals(candidate, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsSchema1(ReadOnlySpan<char> type) =>
        type.Equals(MediaTypes.DockerSchema1, StringComparison.OrdinalIgnoreCase)
        || type.Equals(MediaTypes.DockerSchema1Signed, StringComparison.OrdinalIgnoreCase);

    private static RegistryException Schema1NotSupported() =>
        Invalid(
            "Docker schema1 manifests are not supported; push a Docker schema2 or OCI manifest instead.",
            Detail("field", "schemaVersion"));

    /// <summary>
    /// When the reader is on property <paramref name="name"/>, marks it seen (refusing a duplicate) and moves to its value.
    /// </summary>
    private static bool Property(ref Utf8JsonReader reader, ReadOnlySpan<byte> name, int bit, ref int seen, string? parent)
    {
        if (!reader.ValueTextEquals(name))
        {
            return false;
        }

        if ((seen & bit) != 0)
        {
            var field = Encoding.UTF8.GetString(name);
            var path = parent is null ? field : $"{parent}.{field}";
            throw Invalid($"The manifest has more than one '{path}' field.", Detail("field", path));
        }

        seen |= bit;
        reader.Read();
        return true;
    }

    private static Descriptor? ReadOptionalDescriptor(ref Utf8JsonReader reader, string path) =>
        reader.TokenType == JsonTokenType.Null ? null : ReadDescriptor(ref reader, path, readPlatform: false);

    private static List<Descriptor>? ReadDescriptorArray(ref Utf8JsonReader reader, string path, bool readPlatform)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw WrongType(path, "an array of descriptors");
        }

        var list = new List<Descriptor>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(ReadDescriptor(ref reader, $"{path}[{list.Count}]", readPlatform));
        }

        return list;
    }

    private static Descriptor ReadDescriptor(ref Utf8JsonReader reader, string path, bool readPlatform)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw WrongType(path, "a descriptor object");
        }

        var seen = 0;
        string? mediaType = null;
        Digest? digest = null;
        long? size = null;
        string? artifactType = null;
        Dictionary<string, string>? annotations = null;
        List<string>? urls = null;
        Platform? platform = null;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (Property(ref reader, "mediaType"u8, SeenMediaType, ref seen, path))
            {
                mediaType = ReadMediaType(ref reader, $"{path}.mediaType");
            }
            else if (Property(ref reader, "digest"u8, SeenDigest, ref seen, path))
            {
                var text = ReadString(ref reader, $"{path}.digest") ?? throw Missing($"{path}.digest");
                if (!Registry.Digest.TryParse(text, out var parsed))
                {
                    throw Invalid(
                        $"{path}.digest '{text}' is not a valid sha256 or sha512 digest.",
                        Detail("field", $"{path}.digest", "digest", text));
                }

                digest = parsed;
            }
            else if (Property(ref reader, "size"u8, SeenSize, ref seen, path))
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
                {
                    throw WrongType($"{path}.size", "an integer");
                }

                if (value < 0)
                {
                    throw Invalid($"{path}.size must not be negative.", Detail("field", $"{path}.size"));
                }

                size = value;
            }
            else if (Property(ref reader, "artifactType"u8, SeenArtifactType, ref seen, path))
            {
                artifactType = ReadMediaType(ref reader, $"{path}.artifactType");
            }
            else if (Property(ref reader, "annotations"u8, SeenAnnotations, ref seen, path))
            {
                annotations = ReadAnnotations(ref reader, $"{path}.annotations");
            }
            else if (Property(ref reader, "urls"u8, SeenUrls, ref seen, path))
            {
                urls = ReadUrls(ref reader, $"{path}.urls");
            }
            else if (readPlatform && Property(ref reader, "platform"u8, SeenPlatform, ref seen, path))
            {
                platform = ReadPlatform(ref reader, $"{path}.platform");
            }
            else
            {
                // Includes "data" (embedded content), which the registry has no use for.
                reader.Skip();
            }
        }

        if (mediaType is null)
        {
            throw Missing($"{path}.mediaType");
        }

        if (digest is null)
        {
            throw Missing($"{path}.digest");
        }

        if (size is null)
        {
            throw Missing($"{path}.size");
        }

        return new Descriptor
        {
            MediaType = mediaType,
            Digest = digest.Value,
            Size = size.Value,
            ArtifactType = artifactType,
            Annotations = annotations,
            Urls = urls,
            Platform = platform,
        };
    }

    private static Platform? ReadPlatform(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw WrongType(path, "an object");
        }

        var seen = 0;
        string? os = null;
        string? architecture = null;
        string? variant = null;
        string? osVersion = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (Property(ref reader, "os"u8, SeenOs, ref seen, path))
            {
                os = ReadString(ref reader, $"{path}.os");
            }
            else if (Property(ref reader, "architecture"u8, SeenArchitecture, ref seen, path))
            {
                architecture = ReadString(ref reader, $"{path}.architecture");
            }
            else if (Property(ref reader, "variant"u8, SeenVariant, ref seen, path))
            {
                variant = ReadString(ref reader, $"{path}.variant");
            }
            else if (Property(ref reader, "os.version"u8, SeenOsVersion, ref seen, path))
            {
                osVersion = ReadString(ref reader, $"{path}.os.version");
            }
            else
            {
                reader.Skip();
            }
        }

        if (string.IsNullOrEmpty(os))
        {
            throw Missing($"{path}.os");
        }

        if (string.IsNullOrEmpty(architecture))
        {
            throw Missing($"{path}.architecture");
        }

        return new Platform { Os = os, Architecture = architecture, Variant = variant, OsVersion = osVersion };
    }

    private static List<string>? ReadUrls(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw WrongType(path, "an array of URLs");
        }

        var urls = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var itemPath = $"{path}[{urls.Count}]";
            if (reader.TokenType != JsonTokenType.String)
            {
                throw WrongType(itemPath, "a string");
            }

            // The spec requires RFC 3986 URIs; insisting on absolute http(s) keeps clients from being sent elsewhere.
            var url = reader.GetString()!;
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw Invalid($"{itemPath} '{url}' is not an absolute http or https URL.", Detail("field", itemPath));
            }

            urls.Add(url);
        }

        return urls;
    }

    private static Dictionary<string, string>? ReadAnnotations(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw WrongType(path, "an object of strings");
        }

        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                throw WrongType($"{path}.{key}", "a string");
            }

            if (!annotations.TryAdd(key, reader.GetString()!))
            {
                throw Invalid($"{path} has more than one '{key}' key.", Detail("field", $"{path}.{key}"));
            }
        }

        return annotations;
    }

    private static string? ReadString(ref Utf8JsonReader reader, string path) =>
        reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null => null,
            _ => throw WrongType(path, "a string"),
        };

    /// <summary>
    /// Reads a descriptor or artifact media type, held to the RFC 6838 name grammar the image spec requires.
    /// Besides catching garbage, this keeps control characters out of values the server may echo in headers.
    /// </summary>
    private static string? ReadMediaType(ref Utf8JsonReader reader, string path)
    {
        var value = ReadString(ref reader, path);
        if (value is null)
        {
            return null;
        }

        if (!IsValidMediaType(value))
        {
            throw Invalid(
                value.Length == 0 ? $"{path} must not be empty." : $"{path} '{value}' is not a valid media type.",
                Detail("field", path));
        }

        return value;
    }

    private static bool IsValidMediaType(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && IsRestrictedName(value.AsSpan(0, slash)) && IsRestrictedName(value.AsSpan(slash + 1));

        // restricted-name = restricted-name-first *126restricted-name-chars (RFC 6838 section 4.2)
        static bool IsRestrictedName(ReadOnlySpan<char> name)
        {
            if (name.IsEmpty || name.Length > 127 || !char.IsAsciiLetterOrDigit(name[0]))
            {
                return false;
            }

            foreach (var c in name[1..])
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not ('!' or '#' or '$' or '&' or '-' or '^' or '_' or '.' or '+'))
                {
                    return false;
                }
            }

            return true;
        }
    }

    private static RegistryException Missing(string path) =>
        Invalid($"{path} is required.", Detail("field", path));

    private static RegistryException WrongType(string path, string expected) =>
        Invalid($"{path} must be {expected}.", Detail("field", path));

    private static RegistryException Invalid(string message, IReadOnlyDictionary<string, string>? detail = null) =>
        new(RegistryErrorCode.ManifestInvalid, message, detail);

    // A string dictionary rather than an anonymous type, so the server can serialize it without reflection.
    private static Dictionary<string, string> Detail(string key, string value) =>
        new(StringComparer.Ordinal) { [key] = value };

    private static Dictionary<string, string> Detail(string key1, string value1, string key2, string value2) =>
        new(StringComparer.Ordinal) { [key1] = value1, [key2] = value2 };
}
