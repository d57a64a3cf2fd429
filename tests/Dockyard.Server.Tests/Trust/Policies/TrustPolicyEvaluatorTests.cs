using Dockyard.Registry;
using Dockyard.Server.Trust.Policies;
using Dockyard.Server.Trust.Signatures;

namespace Dockyard.Server.Tests.Trust.Policies;

/// <summary>What one policy makes of an image's verified signatures (<see cref="TrustPolicyEvaluator.Refuse"/>), and the signature-artifact rule.</summary>
public sealed class TrustPolicyEvaluatorTests
{
    private static readonly RepositoryName Repository = RepositoryName.Parse("prod/api");
    private static readonly Digest Image = Digest.Parse("sha256:" + new string('a', 64));

    [Fact]
    public void Refuse_TeamsPolicy_NamesEveryMissingTeamAndInvalidSignatures()
    {
        var policy = Policy(requireAllTeams: true, "prod/security", "qa/testers");
        var trust = Trust(Verdict(valid: false, null, problem: "the signature does not verify under key prod/old"));

        var refusal = TrustPolicyEvaluator.Refuse(Repository, Image, policy, trust);

        Assert.NotNull(refusal);
        Assert.Equal(3, refusal.PolicyId);
        Assert.Equal(["prod/security", "qa/testers"], refusal.MissingSigners);
        Assert.Equal(
            $"prod/api@{Image.Value} is not signed as policy 3 of prod requires: missing signatures from teams prod/security, qa/testers (invalid signatures: the signature does not verify under key prod/old)",
            refusal.Message);
        Assert.Null(TrustPolicyEvaluator.Refuse(Repository, Image, policy, Trust(Verdict(true, "prod/security"), Verdict(true, "qa/testers"))));
        Assert.Equal(["qa/testers"], TrustPolicyEvaluator.Refuse(Repository, Image, policy, Trust(Verdict(true, "prod/security")))!.MissingSigners);
    }

    [Fact]
    public void Refuse_AnyPolicy_AcceptsAnOrganizationOrTeamKeyOfItsOrganizationOnly()
    {
        var policy = Policy(requireAllTeams: false);

        Assert.Null(TrustPolicyEvaluator.Refuse(Repository, Image, policy, Trust(Verdict(true, "prod/security"))));
        Assert.Null(TrustPolicyEvaluator.Refuse(Repository, Image, policy, Trust(Verdict(true, null))));
        var refusal = TrustPolicyEvaluator.Refuse(Repository, Image, policy, Trust(Verdict(true, "qa/testers", organization: "qa")));
        Assert.Equal($"prod/api@{Image.Value} is not signed as policy 3 of prod requires: no valid signature by a trusted key of prod", refusal!.Message);
    }

    [Fact]
    public void Refuse_TeamsPolicyWhoseTeamsAreGone_RefusesEvenASignedImage()
    {
        var policy = Policy(requireAllTeams: true);

        var refusal = TrustPolicyEvaluator.Refuse(Repository, Image, policy, Trust(Verdict(true, "prod/security")));

        Assert.NotNull(refusal);
        Assert.Contains("none of its teams exists any more", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/vnd.dev.cosign.simplesigning.v1+json", true)]
    [InlineData("application/vnd.dev.sigstore.bundle.v0.3+json", true)]
    [InlineData("application/vnd.dsse.envelope.v1+json", true)]
    [InlineData("application/vnd.oci.image.layer.v1.tar+gzip", false)]
    [InlineData(null, false)]
    public void IsPayloadLayer_OnlySignatureAndAttestationPayloads(string? mediaType, bool expected) =>
        Assert.Equal(expected, SignatureArtifacts.IsPayloadLayer(mediaType));

    private static TrustPolicy Policy(bool requireAllTeams, params string[] teams) => new(3, "prod", null, requireAllTeams, teams, true, false, null);

    private static ImageTrust Trust(params SignatureVerdict[] verdicts) =>
        new(Repository.Value, Image.Value, verdicts.Any(v => v.Valid) ? SignatureState.Signed : SignatureState.Invalid, verdicts);

    private static SignatureVerdict Verdict(bool valid, string? team, string? problem = null, string organization = "prod") =>
        new("cosign", "sha256:" + new string('b', 64), valid, problem, valid ? "sha256:" + new string('c', 64) : null, "k", valid ? organization : null, team, null);
}
