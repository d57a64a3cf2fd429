namespace Dockyard.Control.SwarmObjects;

/// <summary>Secrets and configs share one API shape (<c>/secrets</c>, <c>/configs</c>).</summary>
public enum SwarmObjectKind
{
    Secret,
    Config,
}
