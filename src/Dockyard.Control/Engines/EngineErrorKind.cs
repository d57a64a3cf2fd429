namespace Dockyard.Control.Engines;

/// <summary>What went wrong talking to an engine, independent of the HTTP status it used.</summary>
public enum EngineErrorKind
{
    /// <summary>The engine could not be reached (socket missing, connection refused, TLS failure, timeout).</summary>
    Unavailable,

    /// <summary>The engine answered 404: no such container, node, image, exec instance, …</summary>
    NotFound,

    /// <summary>The engine answered 409: name in use, container not running, node version out of date, …</summary>
    Conflict,

    /// <summary>The engine refused the request as malformed (400).</summary>
    BadRequest,

    /// <summary>The engine answered 503: typically "this node is not a swarm manager".</summary>
    NotManager,

    /// <summary>Any other failure status from the engine.</summary>
    Failed,
}
