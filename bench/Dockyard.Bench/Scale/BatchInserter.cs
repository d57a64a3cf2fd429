using System.Data.Common;
using System.Text;

namespace Dockyard.Bench.Scale;

/// <summary>
/// Multi-row <c>INSERT … VALUES (…), (…)</c> with one prepared command per table, reused for every full batch: the
/// same SQL on SQLite and PostgreSQL. Rows go into whatever transaction <see cref="ScaleDatabase"/> has open.
/// </summary>
internal sealed class BatchInserter(ScaleDatabase database, string table, params string[] columns)
{
    // PostgreSQL: 4,000 parameters per statement amortize a round trip. SQLite has no round trip, and
    // Microsoft.Data.Sqlite binds each parameter by name through a linear search: a few hundred at most.
    private readonly int _rowsPerStatement = Math.Max(1, (database.IsSqlite ? 200 : 4000) / columns.Length);
    private readonly List<object?[]> _rows = [];
    private DbCommand? _full;

    public long Written { get; private set; }

    public void Add(params object?[] values)
    {
        _rows.Add(values);
        if (_rows.Count == _rowsPerStatement)
        {
            Flush();
        }
    }

    public void Flush()
    {
        if (_rows.Count == 0)
        {
            return;
        }

        var command = _rows.Count == _rowsPerStatement ? _full ??= Prepare(_rowsPerStatement) : Prepare(_rows.Count);
        command.Transaction = database.Transaction;
        for (var r = 0; r < _rows.Count; r++)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                command.Parameters[(r * columns.Length) + c].Value = _rows[r][c] ?? DBNull.Value;
            }
        }

        command.ExecuteNonQuery();
        if (command != _full)
        {
            command.Dispose();
        }

        Written += _rows.Count;
        database.Wrote(_rows.Count);
        _rows.Clear();
    }

    private DbCommand Prepare(int rows)
    {
        var command = database.Connection.CreateCommand();
        var sql = new StringBuilder($"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ");
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Length; c++)
            {
                var name = $"@p{(r * columns.Length) + c}";
                sql.Append(c == 0 ? name : ", " + name);
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                command.Parameters.Add(parameter);
            }

            sql.Append(')');
        }

        command.CommandText = sql.ToString();
        return command;
    }
}
