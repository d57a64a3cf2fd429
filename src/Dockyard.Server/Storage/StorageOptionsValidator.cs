using Microsoft.Extensions.Options;

namespace Dockyard.Server.Storage;

/// <summary>Checks <c>Dockyard:Storage</c> on start, so a bad bucket or endpoint fails the start with a clear message.</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options) =>
        options.Driver switch
        {
            StorageDriverKind.Filesystem => ValidateOptionsResult.Success,
            StorageDriverKind.S3 when options.S3.Validate() is { Count: > 0 } errors => ValidateOptionsResult.Fail(errors),
            StorageDriverKind.S3 => ValidateOptionsResult.Success,
            _ => ValidateOptionsResult.Fail($"Dockyard:Storage:Driver '{options.Driver}' is not supported (Filesystem or S3)."),
        };
}
