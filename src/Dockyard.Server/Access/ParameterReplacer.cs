using System.Linq.Expressions;

namespace Dockyard.Server.Access;

/// <summary>Rewrites one lambda parameter to another, to splice predicates into one expression EF can translate.</summary>
internal sealed class ParameterReplacer(ParameterExpression from, Expression to) : ExpressionVisitor
{
    protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
}
