namespace Dockyard.Server.Control.Stacks;

/// <summary>
/// One service of a stack: the image as written and the pinned reference it runs, its mode and task counts, the
/// rolling update's state, and the tag it follows (<c>repo:tag</c>) with whether that tag now points elsewhere
/// (<c>UpdateAvailable</c> null: cannot be said — not an image Dockyard hosts, written by digest, or the tag is gone).
/// </summary>
internal sealed record StackServiceView(
    string Name,
    string ShortName,
    string? Image,
    string RunningImage,
    string Mode,
    long? Replicas,
    long RunningTasks,
    long DesiredTasks,
    string? UpdateState,
    string? UpdateMessage,
    string? Follows,
    bool? UpdateAvailable);
