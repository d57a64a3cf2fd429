namespace Dockyard.Server.Control.Images;

/// <summary>The values of <see cref="ImagePullOutcome.Status"/>.</summary>
internal static class ImagePullOutcomes
{
    public const string Pulled = "pulled";
    public const string Failed = "failed";
}
