namespace Dockyard.Control.Engines;

/// <summary>
/// A failed call to an engine. <see cref="Exception.Message"/> is the engine's own message (dockerd answers
/// <c>{"message":"…"}</c>) prefixed with the engine's name, safe to show an operator; it never carries credentials.
/// </summary>
public sealed class EngineApiException : Exception
{
    public EngineApiException(string engine, EngineErrorKind kind, int? status, string message, Exception? inner = null)
        : base($"engine {engine}: {message}", inner)
    {
        Engine = engine;
        Kind = kind;
        Status = status;
        EngineMessage = message;
    }

    /// <summary>Name of the engine that failed.</summary>
    public string Engine { get; }

    /// <summary>Classification the callers switch on.</summary>
    public EngineErrorKind Kind { get; }

    /// <summary>HTTP status the engine answered, or null when it was not reached.</summary>
    public int? Status { get; }

    /// <summary>The engine's message without the engine-name prefix.</summary>
    public string EngineMessage { get; }
}
