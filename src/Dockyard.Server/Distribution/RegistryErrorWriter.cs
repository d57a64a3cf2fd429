using System.Buffers;
using System.Text.Json;
using Dockyard.Registry.Errors;

namespace Dockyard.Server.Distribution;

/// <summary>
/// Writes the OCI error body <c>{"errors":[{"code","message","detail"}]}</c> for a registered <see cref="OciError"/>
/// (<see cref="OciErrors"/>): the status always comes from the registration, never from the caller.
/// </summary>
internal static class RegistryErrorWriter
{
    public static Task WriteAsync(HttpContext context, RegistryException error) =>
        WriteAsync(context, OciErrors.Of(error.Code), error.Message, error.Detail);

    public static Task WriteAsync(HttpContext context, RegistryErrorCode code, string? message = null, object? detail = null) =>
        WriteAsync(context, OciErrors.Of(code), message, detail);

    public static async Task WriteAsync(HttpContext context, OciError error, string? message = null, object? detail = null)
    {
        var response = context.Response;
        response.StatusCode = error.Status;
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
            writer.WriteString("code", error.Code);
            writer.WriteString("message", message ?? error.Message);
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
