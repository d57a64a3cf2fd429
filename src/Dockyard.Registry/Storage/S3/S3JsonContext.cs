using System.Text.Json.Serialization;

namespace Dockyard.Registry.Storage.S3;

/// <summary>Source-generated JSON metadata for the S3 driver's state objects.</summary>
[JsonSerializable(typeof(S3WriterState))]
internal sealed partial class S3JsonContext : JsonSerializerContext;
