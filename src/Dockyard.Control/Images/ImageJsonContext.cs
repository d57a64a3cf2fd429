using System.Text.Json.Serialization;

namespace Dockyard.Control.Images;

/// <summary>Source-generated JSON for the Images folder's documents.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<ImageSummary>))]
[JsonSerializable(typeof(ImageDetails))]
[JsonSerializable(typeof(List<ImageDeleteResult>))]
[JsonSerializable(typeof(ImagePullProgress))]
[JsonSerializable(typeof(RegistryAuthBody))]
internal sealed partial class ImageJsonContext : JsonSerializerContext;
