using System.Text;

namespace Dockyard.Control.Swarm;

/// <summary>
/// The tokens a node presents to join as a worker or a manager. They are secrets: <see cref="ToString"/> redacts
/// them so a logged record never leaks one.
/// </summary>
public sealed record SwarmJoinTokens
{
    public string Worker { get; init; } = string.Empty;

    public string Manager { get; init; } = string.Empty;

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Worker = ***, Manager = ***");
        return true;
    }
}
