using Dockyard.Control.Compose;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Ui.Stacks;

/// <summary>
/// What the editor posts besides <see cref="StackForm"/>: the attachments (a path as the Compose file writes it, e.g.
/// <c>./db_password.txt</c>, with a file input each) and the services to follow (check boxes named <c>follow</c>).
/// </summary>
internal static class StackFormRequest
{
    /// <summary>How many attachment rows the editor offers.</summary>
    public const int AttachmentRows = 3;

    public static string PathField(int row) => $"attachment-path-{row}";

    public static string FileField(int row) => $"attachment-file-{row}";

    public const string FollowField = "follow";

    /// <summary>The attached files by path; a file without a path, a path without a file or one over the size limit is refused.</summary>
    public static async Task<Dictionary<string, byte[]>> AttachmentsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var attachments = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (!request.HasFormContentType)
        {
            return attachments;
        }

        var form = await request.ReadFormAsync(cancellationToken);
        for (var row = 0; row < AttachmentRows; row++)
        {
            var path = form[PathField(row)].ToString().Trim();
            var file = form.Files.GetFile(FileField(row));
            if (path.Length == 0 && (file is null || file.Length == 0))
            {
                continue;
            }

            if (path.Length == 0 || file is null)
            {
                throw DomainException.Invalid("attachments", path.Length == 0
                    ? $"Attachment {file!.FileName}: give the path the Compose file uses for it."
                    : $"Attachment {path}: choose a file.");
            }

            if (file.Length > ComposeLoader.MaxSourceBytes)
            {
                throw DomainException.Invalid("attachments", $"Attachment {path} is larger than {ComposeLoader.MaxSourceBytes / 1024 / 1024} MiB.");
            }

            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, cancellationToken);
            if (!attachments.TryAdd(path, buffer.ToArray()))
            {
                throw DomainException.Invalid("attachments", $"{path} is attached twice.");
            }
        }

        return attachments;
    }

    /// <summary>The checked services' short names.</summary>
    public static List<string> Follow(HttpRequest request) =>
        request.HasFormContentType
            ? request.Form[FollowField].Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim()).Distinct(StringComparer.Ordinal).ToList()
            : [];
}
