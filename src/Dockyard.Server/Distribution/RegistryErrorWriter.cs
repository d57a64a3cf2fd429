using System.Buffers;
using System.Text.Json;
using Dockyard.Registry.Errors;

namespace Dockyard.Server.Distribution;

/// <summary>
/// The one translator from <see cref="RegistryErrorCode"/> to the wire: the spec's code string, its HTTP
/// status, and the <c>{"errors":[{"code","message","detail"}]}</c> body.
/// </summary>
internal static class RegistryErrorWriter
{
    public static string WireCode(RegistryErrorCode code) => code switch
    {
        RegistryErrorCode.BlobUnknown => "BLOB_UNKNOWN",
        RegistryErrorCode.BlobUploadInvalid => "BLOB_UPLOAD_INVALID",
        RegistryErrorCode.BlobUploadUnknown => "BLOB_UPLOAD_UNKNOWN",
        RegistryErrorCode.DigestInvalid => "DIGEST_INVALID",
        RegistryErrorCode.ManifestBlobUnknown => "MANIFEST_BLOB_UNKNOWN",
        RegistryErrorCode.ManifestInvalid => "MANIFEST_INVALID",
        RegistryErrorCode.ManifestUnknown => "MANIFEST_UNKNOWN",
        RegistryErrorCode.NameInvalid => "NAME_INVALID",
        RegistryErrorCode.NameUnknown => "NAME_UNKNOWN",
        RegistryErrorCode.SizeInvalid => "SIZE_INVALID",
        RegistryErrorCode.Unauthorized => "UNAUTHORIZED",
        RegistryErrorCode.Denied => "DENIED",
        RegistryErrorCode.Unsupported => "UNSUPPORTED",
        RegistryErrorCode.TooManyRequests => "TOOMANYREQUESTS",
        RegistryErrorCode.RangeInvalid => "RANGE_INVALID",
        RegistryErrorCode.TagInvalid => "TAG_INVALID",
        RegistryErrorCode.PaginationNumberInvalid => "PAGINATION_NUMBER_INVALID",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };

    public static int Status(RegistryErrorCode code) => code switch
    {
        RegistryErrorCode.BlobUnknown or RegistryErrorCode.BlobUploadUnknown or RegistryErrorCode.ManifestUnknown or RegistryErrorCode.NameUnknown => StatusCodes.Status404NotFound,
        RegistryErrorCode.Unauthorized => StatusCodes.Status401Unauthorized,
        RegistryErrorCode.Denied => StatusCodes.Status403Forbidden,
        RegistryErrorCode.Unsupported => StatusCodes.Status405MethodNotAllowed,
        RegistryErrorCode.TooManyRequests => StatusCodes.Status429TooManyRequests,
        RegistryErrorCode.RangeInvalid => StatusCodes.Status416RangeNotSatisfiable,
        _ => StatusCodes.Status400BadRequest,
    };

    public static Task WriteAsync(HttpContext context, RegistryException error) =>
        WriteAsync(context, error.StatusOverride ?? Status(error.Code), error.Code, error.Message, error.Detail);

    public static async Task WriteAsync(HttpContext context, int status, RegistryErrorCode code, string message, object? detail = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        // Built in memory, then written asynchronously: JsonSerializer.Serialize(writer, …) flushes the writer
        // synchronously, which Kestrel forbids on the response stream (it aborted every error with a detail).
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("errors");
            writer.WriteStartObject();
            writer.WriteString("code", WireCode(code));
            writer.WriteString("message", message);
            writer.WritePropertyName("detail");
            if (detail is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                JsonSerializer.Serialize(writer, detail, detail.GetType());
            }

            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }
}
