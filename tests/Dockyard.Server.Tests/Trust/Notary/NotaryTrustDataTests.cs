using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dockyard.Server.Trust.Crypto;
using Dockyard.Server.Trust.Keys;
using Dockyard.Server.Trust.Notary;

namespace Dockyard.Server.Tests.Trust.Notary;

/// <summary>
/// Notary v1 / TUF verification without a notary server: metadata built here (ECDSA P-256 keys in notary's format,
/// key id = sha256 of the key's canonical JSON, signatures over the canonical JSON of <c>signed</c>) is fed to
/// <see cref="NotarySignatureSource.ReadAsync"/> and judged by <see cref="NotarySignatureSource.Verdicts"/>.
/// </summary>
public sealed class NotaryTrustDataTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Digest = SHA256.HashData("manifest"u8);
    private static readonly string DigestHex = Convert.ToHexStringLower(Digest);

    private readonly TufTestKey _root = new();
    private readonly TufTestKey _targets = new();
    private readonly TufTestKey _other = new();
    private readonly TufTestKey _releases = new();

    public void Dispose()
    {
        _root.Dispose();
        _targets.Dispose();
        _other.Dispose();
        _releases.Dispose();
    }

    [Fact]
    public async Task ValidRootAndTargets_GiveAValidSignatureForTheDigest()
    {
        var verdicts = await VerdictsAsync(Root(), Sign(Targets(), _targets));

        var verdict = Assert.Single(verdicts);
        Assert.True(verdict.Valid, verdict.Problem);
        Assert.Equal(_targets.Fingerprint, verdict.KeyFingerprint);
        Assert.Equal("targets (latest)", verdict.Source);
    }

    [Fact]
    public async Task TargetsAlteredAfterSigning_AreNotValid()
    {
        var signed = Targets(digest: SHA256.HashData("other manifest"u8));
        var document = Sign(signed, _targets);
        var altered = JsonNode.Parse(document)!;
        altered["signed"]!["targets"]!["latest"]!["hashes"]!["sha256"] = Convert.ToBase64String(Digest);

        var verdicts = await VerdictsAsync(Root(), Encoding.UTF8.GetBytes(altered.ToJsonString()));

        Assert.DoesNotContain(verdicts, v => v.Valid);
        Assert.Contains(verdicts, v => v.Problem!.Contains("not signed by the keys delegated", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TargetsSignedByAKeyRootDoesNotListForTargets_AreNotValid()
    {
        // The root key is in root.json's keys (and registered in Dockyard) but not among roles.targets.keyids.
        var verdicts = await VerdictsAsync(Root(), Sign(Targets(), _root, _other));

        Assert.NotEmpty(verdicts);
        Assert.DoesNotContain(verdicts, v => v.Valid);
    }

    [Fact]
    public async Task ThresholdOfTwo_WithOneSignature_IsNotValid()
    {
        var root = Root(targetKeys: [_targets, _other], targetThreshold: 2);

        var verdicts = await VerdictsAsync(root, Sign(Targets(), _targets));

        Assert.NotEmpty(verdicts);
        Assert.DoesNotContain(verdicts, v => v.Valid);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("4294967297")]
    [InlineData("2.5")]
    [InlineData("\"2\"")]
    public async Task ThresholdThatIsNotAnInt32_IsNotTakenAsOne(string threshold)
    {
        var root = Root(targetKeys: [_targets, _other], targetThreshold: 2);
        var text = Encoding.UTF8.GetString(root).Replace("\"threshold\":2", "\"threshold\":" + threshold, StringComparison.Ordinal);
        var rootNode = JsonNode.Parse(text)!;
        root = Sign(rootNode["signed"]!.AsObject().DeepClone().AsObject(), _root);

        var verdicts = await VerdictsAsync(root, Sign(Targets(), _targets));

        Assert.DoesNotContain(verdicts, v => v.Valid);
    }

    [Fact]
    public async Task ExpiredTargetsRole_IsNotValid()
    {
        var verdicts = await VerdictsAsync(Root(), Sign(Targets(expires: Now.AddSeconds(-1)), _targets));

        var verdict = Assert.Single(verdicts);
        Assert.False(verdict.Valid);
        Assert.Contains("expired", verdict.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(5)]
    [InlineData("garbage")]
    public async Task TargetsRoleWithoutAReadableExpiry_IsNotValid(object? expires)
    {
        // Notary always writes "expires"; a role without a readable one must not be taken as never expiring.
        var targets = Targets();
        if (expires is null)
        {
            targets.Remove("expires");
        }
        else
        {
            targets["expires"] = JsonValue.Create(expires);
        }

        var verdicts = await VerdictsAsync(Root(), Sign(targets, _targets));

        var verdict = Assert.Single(verdicts);
        Assert.False(verdict.Valid);
        Assert.Contains("expir", verdict.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delegation_SignedByTheDelegatedKey_IsValid()
    {
        var verdicts = await VerdictsAsync(Root(), Sign(Targets(withTarget: false, delegateTo: _releases), _targets),
            Sign(Targets(type: "Targets"), _releases));

        var verdict = Assert.Single(verdicts);
        Assert.True(verdict.Valid, verdict.Problem);
        Assert.Equal(_releases.Fingerprint, verdict.KeyFingerprint);
        Assert.StartsWith("targets/releases", verdict.Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delegation_SignedByAKeyTheParentDoesNotDelegateTo_IsNotValid()
    {
        var verdicts = await VerdictsAsync(Root(), Sign(Targets(withTarget: false, delegateTo: _releases), _targets),
            Sign(Targets(), _other));

        Assert.NotEmpty(verdicts);
        Assert.DoesNotContain(verdicts, v => v.Valid);
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "root", "" },
        { "root", "null" },
        { "root", "[1,2]" },
        { "root", """{"signed":5}""" },
        { "root", """{"signed":{"_type":"Root","keys":{"a":5,"b":{"keytype":"ecdsa","keyval":{"public":7}}},"roles":[]}}""" },
        { "root", """{"signed":{"_type":"Root","keys":[],"roles":{"root":5,"targets":{"keyids":[1,null],"threshold":"two"}}}}""" },
        { "root", """{"signed":{"_type":"Root","roles":{"targets":{"threshold":1e99999}}},"signatures":5}""" },
        { "root", new string('[', 100) + new string(']', 100) },
        { "targets", "{" },
        { "targets", """{"signed":[],"signatures":[]}""" },
        { "targets", """{"signed":{"_type":"Targets","targets":[]},"signatures":[{"keyid":"x","method":5,"sig":"AA=="}]}""" },
        { "targets", """{"signed":{"_type":"Targets","targets":{"latest":{"hashes":{"sha256":5}},"x":7}},"signatures":[5,{"keyid":1}]}""" },
        { "targets", """{"signed":{"_type":"Targets","expires":5,"targets":{}},"signatures":[]}""" },
        { "targets", """{"signed":{"_type":"Targets","expires":"1e999","delegations":{"keys":5,"roles":5}}}""" },
        { "targets", """{"signed":{"_type":"Targets","delegations":{"keys":{"k":[]},"roles":[5,{"name":5},{"name":"targets/releases","paths":[5,null],"threshold":1e400,"keyids":5}]}}}""" },
        { "targets/releases", """{"signed":{"_type":"Targets","targets":{"latest":{"hashes":{"sha256":"not base64!"},"length":1e999}}},"signatures":{}}""" },
        { "targets/releases", "\"just a string\"" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task MalformedMetadata_ThrowsOnlyInvalidDataException_AndGivesNoValidSignature(string role, string json)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["root"] = Root(),
            ["targets"] = Sign(Targets(delegateTo: _releases), _targets),
            ["targets/releases"] = Sign(Targets(), _releases),
        };
        files[role] = Encoding.UTF8.GetBytes(json);

        NotaryTrustData data;
        try
        {
            data = await ReadAsync(files);
        }
        catch (InvalidDataException)
        {
            return; // the documented "not TUF metadata": the caller logs it and shows no DCT signatures
        }

        // A broken root or targets makes nothing valid; a broken delegation adds nothing valid (targets itself still lists the digest).
        var verdicts = NotarySignatureSource.Verdicts(data, DigestHex, Registered(), Now);
        Assert.DoesNotContain(verdicts, v => v.Valid && (role != "targets/releases" || v.Source.StartsWith("targets/", StringComparison.Ordinal)));
    }

    private async Task<IReadOnlyList<Dockyard.Server.Trust.Signatures.SignatureVerdict>> VerdictsAsync(byte[] root, byte[] targets, byte[]? releases = null)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal) { ["root"] = root, ["targets"] = targets };
        if (releases is not null)
        {
            files["targets/releases"] = releases;
        }

        return NotarySignatureSource.Verdicts(await ReadAsync(files), DigestHex, Registered(), Now);
    }

    private static Task<NotaryTrustData> ReadAsync(Dictionary<string, byte[]> files) =>
        NotarySignatureSource.ReadAsync((role, _) => Task.FromResult(files.GetValueOrDefault(role)), "registry.test/acme/app", 16, CancellationToken.None);

    /// <summary>Every test key registered in Dockyard, so only TUF verification can make a verdict invalid.</summary>
    private TrustKeySnapshot Registered() => new(
        new[] { _root, _targets, _other, _releases }.ToDictionary(
            k => k.Fingerprint,
            k => new TrustedKey(1, k.Id[..8], "acme", null, SignaturePublicKey.FromSubjectPublicKeyInfo(k.Spki), null, null)),
        1);

    private byte[] Root(TufTestKey[]? targetKeys = null, int targetThreshold = 1)
    {
        targetKeys ??= [_targets];
        var keys = new JsonObject { [_root.Id] = _root.Json() };
        foreach (var key in targetKeys)
        {
            keys[key.Id] = key.Json();
        }

        var signed = new JsonObject
        {
            ["_type"] = "Root",
            ["consistent_snapshot"] = false,
            ["expires"] = Timestamp(Now.AddYears(10)),
            ["keys"] = keys,
            ["roles"] = new JsonObject
            {
                ["root"] = Role([_root], 1),
                ["targets"] = Role(targetKeys, targetThreshold),
            },
            ["version"] = 1,
        };
        return Sign(signed, _root);
    }

    private static JsonObject Targets(
        byte[]? digest = null, DateTimeOffset? expires = null, bool withTarget = true, TufTestKey? delegateTo = null, string type = "Targets")
    {
        var targets = new JsonObject();
        if (withTarget)
        {
            targets["latest"] = new JsonObject
            {
                ["hashes"] = new JsonObject { ["sha256"] = Convert.ToBase64String(digest ?? Digest) },
                ["length"] = 1234,
            };
        }

        var signed = new JsonObject
        {
            ["_type"] = type,
            ["expires"] = Timestamp(expires ?? Now.AddYears(3)),
            ["targets"] = targets,
            ["version"] = 2,
        };
        if (delegateTo is not null)
        {
            var role = Role([delegateTo], 1);
            role["name"] = "targets/releases";
            role["paths"] = new JsonArray("");
            signed["delegations"] = new JsonObject
            {
                ["keys"] = new JsonObject { [delegateTo.Id] = delegateTo.Json() },
                ["roles"] = new JsonArray(role),
            };
        }

        return signed;
    }

    private static JsonObject Role(TufTestKey[] keys, int threshold) => new()
    {
        ["keyids"] = new JsonArray(keys.Select(k => (JsonNode)JsonValue.Create(k.Id)).ToArray()),
        ["threshold"] = threshold,
    };

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>{"signed":…,"signatures":[…]} with notary's raw r||s ECDSA/SHA-256 signatures over the canonical JSON of signed.</summary>
    private static byte[] Sign(JsonObject signed, params TufTestKey[] signers)
    {
        using var parsed = JsonDocument.Parse(signed.ToJsonString());
        var message = CanonicalJson.Encode(parsed.RootElement);
        var signatures = new JsonArray();
        foreach (var signer in signers)
        {
            signatures.Add(new JsonObject
            {
                ["keyid"] = signer.Id,
                ["method"] = "ecdsa",
                ["sig"] = Convert.ToBase64String(signer.Ecdsa.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)),
            });
        }

        return Encoding.UTF8.GetBytes(new JsonObject { ["signed"] = signed.DeepClone(), ["signatures"] = signatures }.ToJsonString());
    }

    /// <summary>An ECDSA P-256 key as notary lists it; its id is the sha256 hex of the key's canonical JSON.</summary>
    private sealed class TufTestKey : IDisposable
    {
        public TufTestKey()
        {
            Spki = Ecdsa.ExportSubjectPublicKeyInfo();
            using var parsed = JsonDocument.Parse(Json().ToJsonString());
            Id = Convert.ToHexStringLower(SHA256.HashData(CanonicalJson.Encode(parsed.RootElement)));
        }

        public ECDsa Ecdsa { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        public byte[] Spki { get; }

        public string Id { get; }

        public string Fingerprint => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Spki));

        public JsonObject Json() => new()
        {
            ["keytype"] = "ecdsa",
            ["keyval"] = new JsonObject { ["private"] = null, ["public"] = Convert.ToBase64String(Spki) },
        };

        public void Dispose() => Ecdsa.Dispose();
    }
}
