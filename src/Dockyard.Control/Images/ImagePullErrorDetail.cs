namespace Dockyard.Control.Images;

/// <summary>The <c>errorDetail</c> of a failed pull message.</summary>
public sealed record ImagePullErrorDetail(int? Code, string? Message);
