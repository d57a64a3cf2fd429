namespace Dockyard.Control.Images;

/// <summary>Bytes done of a layer download or extraction.</summary>
public sealed record ImagePullProgressDetail(long? Current, long? Total);
