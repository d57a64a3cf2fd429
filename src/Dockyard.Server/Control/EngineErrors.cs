using Dockyard.Control.Engines;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Control;

/// <summary>
/// The one translation of an engine's failure into Dockyard's error kinds, used by every edge (API, UI, streams):
/// the engine's 404 and 409 keep their meaning, its 400 is the caller's invalid input, and an engine that cannot be
/// reached, is not a manager or failed is a 503 naming the engine (the message never carries credentials).
/// </summary>
internal static class EngineErrors
{
    public static DomainException ToDomain(EngineApiException error) => error.Kind switch
    {
        EngineErrorKind.NotFound => DomainException.NotFound(error.Message),
        EngineErrorKind.Conflict => DomainException.Conflict(error.Message),
        EngineErrorKind.BadRequest => DomainException.Invalid("request", error.Message),
        _ => DomainException.Unavailable(error.Message),
    };
}
