using System.Globalization;
using System.Text;
using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Audit;

/// <summary>
/// RFC 4180 CSV: a header row, CRLF line ends, every field that contains a comma, quote, CR or LF quoted with
/// quotes doubled. A field starting with <c>= + - @</c> is prefixed with an apostrophe so spreadsheets do not run
/// it as a formula (a user agent is attacker-controlled).
/// </summary>
internal static class AuditCsv
{
    public const string Header = "id,time,actor_kind,actor_name,actor_id,auth_method,source_ip,user_agent,action,repository,reference,digest,resource,organization,outcome,reason,request_id,details,hash";

    public static void AppendRow(StringBuilder line, AuditEntryEntity e)
    {
        Field(line, e.Id.ToString(CultureInfo.InvariantCulture), first: true);
        Field(line, e.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
        Field(line, e.ActorKind);
        Field(line, e.ActorName);
        Field(line, e.ActorId?.ToString(CultureInfo.InvariantCulture));
        Field(line, e.AuthMethod);
        Field(line, e.SourceIp);
        Field(line, e.UserAgent);
        Field(line, e.Action);
        Field(line, e.Repository);
        Field(line, e.Reference);
        Field(line, e.Digest);
        Field(line, e.Resource);
        Field(line, e.Organization);
        Field(line, e.Outcome);
        Field(line, e.Reason);
        Field(line, e.RequestId);
        Field(line, e.Details);
        Field(line, e.Hash);
        line.Append("\r\n");
    }

    private static void Field(StringBuilder line, string? value, bool first = false)
    {
        if (!first)
        {
            line.Append(',');
        }

        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            line.Append(value);
            return;
        }

        line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
