namespace Dockyard.Registry.Errors;

/// <summary>
/// A protocol violation or missing resource, carrying the OCI error code the client receives.
/// Thrown by the content services; translated to <c>{"errors":[…]}</c> in exactly one place.
/// </summary>
public sealed class RegistryException : Exception
{
    public RegistryException(RegistryErrorCode code, string message, object? detail = null)
        : base(message)
    {
        Code = code;
        Detail = detail;
    }

    public RegistryErrorCode Code { get; }

    /// <summary>Structured detail sent to the client (must never contain secrets).</summary>
    public object? Detail { get; }
}
