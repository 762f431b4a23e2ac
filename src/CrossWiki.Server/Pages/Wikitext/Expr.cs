using System.Globalization;
using System.Net;

namespace CrossWiki.Server.Pages.Wikitext;

/// <summary>An expression error, with ParserFunctions' English message.</summary>
internal sealed class ExprException(string message) : Exception(message);

/// <summary>
/// ParserFunctions' <c>#expr</c> evaluator (ExprParser): a shunting-yard over numbers, <c>e</c> and <c>pi</c>, the
/// operators <c>+ - * / div mod fmod ^ round = != &lt;&gt; &lt; &gt; &lt;= &gt;= and or not</c>, the functions
/// <c>sin cos tan asin acos atan exp ln abs trunc floor ceil sqrt</c>, its precedences (all left-associative), its
/// stack limit of 100 and its error messages; results printed as PHP prints floats (14 significant digits).
/// </summary>
internal static class Expr
{
    private enum Op
    {
        None, Negative, Positive, Plus, Minus, Times, Divide, Mod, Open, Close, And, Or, Not, Equality, Less, Greater, LessEq, GreaterEq, NotEq,
        Round, Exponent, Sine, Cosine, Tangens, ArcSine, ArcCos, ArcTan, Exp, Ln, Abs, Floor, Trunc, Ceil, Pow, Pi, Fmod, Sqrt,
    }

    private const int MaxStackSize = 100;

    private static readonly Dictionary<string, Op> Words = new(StringComparer.Ordinal)
    {
        ["mod"] = Op.Mod, ["fmod"] = Op.Fmod, ["and"] = Op.And, ["or"] = Op.Or, ["not"] = Op.Not, ["round"] = Op.Round, ["div"] = Op.Divide,
        ["e"] = Op.Exponent, ["sin"] = Op.Sine, ["cos"] = Op.Cosine, ["tan"] = Op.Tangens, ["asin"] = Op.ArcSine, ["acos"] = Op.ArcCos,
        ["atan"] = Op.ArcTan, ["exp"] = Op.Exp, ["ln"] = Op.Ln, ["abs"] = Op.Abs, ["trunc"] = Op.Trunc, ["floor"] = Op.Floor, ["ceil"] = Op.Ceil,
        ["pi"] = Op.Pi, ["sqrt"] = Op.Sqrt,
    };

    private static int Precedence(Op op) => op switch
    {
        Op.Negative or Op.Positive or Op.Exponent => 10,
        Op.Sine or Op.Cosine or Op.Tangens or Op.ArcSine or Op.ArcCos or Op.ArcTan or Op.Exp or Op.Ln or Op.Abs or Op.Floor or Op.Trunc
            or Op.Ceil or Op.Not or Op.Sqrt => 9,
        Op.Pow => 8,
        Op.Times or Op.Divide or Op.Mod or Op.Fmod => 7,
        Op.Plus or Op.Minus => 6,
        Op.Round => 5,
        Op.Equality or Op.Less or Op.Greater or Op.LessEq or Op.GreaterEq or Op.NotEq => 4,
        Op.And => 3,
        Op.Or => 2,
        Op.Pi => 0,
        _ => -1,
    };

    private static string Name(Op op) => op switch
    {
        Op.Negative or Op.Minus => "-", Op.Positive or Op.Plus => "+", Op.Not => "not", Op.Times => "*", Op.Divide => "/", Op.Mod => "mod",
        Op.Fmod => "fmod", Op.Round => "round", Op.Equality => "=", Op.Less => "<", Op.Greater => ">", Op.LessEq => "<=", Op.GreaterEq => ">=",
        Op.NotEq => "<>", Op.And => "and", Op.Or => "or", Op.Exponent => "e", Op.Sine => "sin", Op.Cosine => "cos", Op.Tangens => "tan",
        Op.ArcSine => "asin", Op.ArcCos => "acos", Op.ArcTan => "atan", Op.Ln => "ln", Op.Exp => "exp", Op.Abs => "abs", Op.Floor => "floor",
        Op.Trunc => "trunc", Op.Ceil => "ceil", Op.Pow => "^", Op.Pi => "pi", Op.Sqrt => "sqrt", _ => "?",
    };

    /// <summary>The expression's value as <c>#expr</c> prints it, or its error as <c>&lt;strong class="error"&gt;</c>.</summary>
    public static string Evaluate(string expression)
    {
        try
        {
            return Evaluate(expression, out _);
        }
        catch (ExprException e)
        {
            return "<strong class=\"error\">" + WebUtility.HtmlEncode(e.Message).Replace("&#39;", "&#039;", StringComparison.Ordinal) + "</strong>";
        }
    }

    /// <summary>The printed value; <paramref name="values"/> are the numbers left on the stack. Throws <see cref="ExprException"/>.</summary>
    public static string Evaluate(string expr, out List<double> values)
    {
        ArgumentNullException.ThrowIfNull(expr);
        var operands = new List<double>();
        var operators = new List<Op>();
        var p = 0;
        var expecting = true; // expecting an expression (else an operator)
        while (p < expr.Length)
        {
            if (operands.Count > MaxStackSize || operators.Count > MaxStackSize)
            {
                throw new ExprException("Expression error: Stack exhausted.");
            }

            var c = expr[p];
            Op op;
            string name;
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                p++;
                continue;
            }

            if (c is (>= '0' and <= '9') or '.')
            {
                if (!expecting)
                {
                    throw new ExprException("Expression error: Unexpected number.");
                }

                var start = p;
                while (p < expr.Length && expr[p] is (>= '0' and <= '9') or '.')
                {
                    p++;
                }

                operands.Add(PhpFloat(expr[start..p]));
                expecting = false;
                continue;
            }

            if (char.IsAsciiLetter(c))
            {
                var start = p;
                while (p < expr.Length && char.IsAsciiLetter(expr[p]))
                {
                    p++;
                }

                var word = expr[start..p].ToLowerInvariant();
                if (!Words.TryGetValue(word, out op))
                {
                    throw new ExprException("Expression error: Unrecognized word \"" + word + "\".");
                }

                switch (op)
                {
                    case Op.Exponent when expecting:
                        operands.Add(Math.E);
                        expecting = false;
                        continue;
                    case Op.Pi:
                        if (!expecting)
                        {
                            throw new ExprException("Expression error: Unexpected number.");
                        }

                        operands.Add(Math.PI);
                        expecting = false;
                        continue;
                    case Op.Not or Op.Sine or Op.Cosine or Op.Tangens or Op.ArcSine or Op.ArcCos or Op.ArcTan or Op.Exp or Op.Ln or Op.Abs
                        or Op.Floor or Op.Trunc or Op.Ceil or Op.Sqrt:
                        if (!expecting)
                        {
                            throw new ExprException("Expression error: Unexpected " + word + " operator.");
                        }

                        operators.Add(op);
                        continue;
                }

                name = word;
            }
            else if (p + 1 < expr.Length && expr.AsSpan(p, 2) is "<=" or ">=" or "<>" or "!=")
            {
                name = expr.Substring(p, 2);
                op = name switch { "<=" => Op.LessEq, ">=" => Op.GreaterEq, _ => Op.NotEq };
                p += 2;
            }
            else if (c is '+' or '-')
            {
                p++;
                if (expecting)
                {
                    operators.Add(c == '+' ? Op.Positive : Op.Negative);
                    continue;
                }

                name = c.ToString();
                op = c == '+' ? Op.Plus : Op.Minus;
            }
            else if (c is '*' or '/' or '^' or '=' or '<' or '>')
            {
                name = c.ToString();
                op = c switch { '*' => Op.Times, '/' => Op.Divide, '^' => Op.Pow, '=' => Op.Equality, '<' => Op.Less, _ => Op.Greater };
                p++;
            }
            else if (c == '(')
            {
                if (!expecting)
                {
                    throw new ExprException("Expression error: Unexpected ( operator.");
                }

                operators.Add(Op.Open);
                p++;
                continue;
            }
            else if (c == ')')
            {
                while (operators.Count > 0 && operators[^1] != Op.Open)
                {
                    Do(operators[^1], operands);
                    operators.RemoveAt(operators.Count - 1);
                }

                if (operators.Count == 0)
                {
                    throw new ExprException("Expression error: Unexpected closing bracket.");
                }

                operators.RemoveAt(operators.Count - 1);
                expecting = false;
                p++;
                continue;
            }
            else
            {
                var rune = char.IsSurrogatePair(expr, p) ? expr.Substring(p, 2) : c.ToString();
                throw new ExprException("Expression error: Unrecognized punctuation character \"" + rune + "\".");
            }

            if (expecting)
            {
                throw new ExprException("Expression error: Unexpected " + name + " operator.");
            }

            while (operators.Count > 0 && Precedence(op) <= Precedence(operators[^1]))
            {
                Do(operators[^1], operands);
                operators.RemoveAt(operators.Count - 1);
            }

            operators.Add(op);
            expecting = true;
        }

        while (operators.Count > 0)
        {
            var op = operators[^1];
            operators.RemoveAt(operators.Count - 1);
            if (op == Op.Open)
            {
                throw new ExprException("Expression error: Unclosed bracket.");
            }

            Do(op, operands);
        }

        values = operands;
        return string.Join("<br />\n", operands.Select(PhpString));
    }

    private static void Do(Op op, List<double> stack)
    {
        var unary = op is Op.Negative or Op.Positive or Op.Not or Op.Sine or Op.Cosine or Op.Tangens or Op.ArcSine or Op.ArcCos or Op.ArcTan
            or Op.Exp or Op.Ln or Op.Abs or Op.Floor or Op.Trunc or Op.Ceil or Op.Sqrt;
        if (stack.Count < (unary ? 1 : 2))
        {
            throw new ExprException("Expression error: Missing operand for " + Name(op) + ".");
        }

        var right = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        if (unary)
        {
            stack.Add(op switch
            {
                Op.Negative => -right,
                Op.Positive => right,
                Op.Not => right == 0 ? 1 : 0,
                Op.Sine => Math.Sin(right),
                Op.Cosine => Math.Cos(right),
                Op.Tangens => Math.Tan(right),
                Op.ArcSine => right is < -1 or > 1 ? throw new ExprException("Invalid argument for asin: < -1 or > 1.") : Math.Asin(right),
                Op.ArcCos => right is < -1 or > 1 ? throw new ExprException("Invalid argument for acos: < -1 or > 1.") : Math.Acos(right),
                Op.ArcTan => Math.Atan(right),
                Op.Exp => Math.Exp(right),
                Op.Ln => right <= 0 ? throw new ExprException("Invalid argument for ln: <= 0.") : Math.Log(right),
                Op.Abs => Math.Abs(right),
                Op.Floor => Math.Floor(right),
                Op.Trunc => Math.Truncate(right),
                Op.Ceil => Math.Ceiling(right),
                _ => right < 0 ? throw new ExprException("In sqrt: Result is not a number.") : Math.Sqrt(right),
            });
            return;
        }

        var left = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        stack.Add(op switch
        {
            Op.Plus => left + right,
            Op.Minus => left - right,
            Op.Times => left * right,
            Op.Divide => right == 0 ? throw new ExprException("Division by zero.") : left / right,
            Op.Mod => PhpInt(right) == 0 ? throw new ExprException("Division by zero.") : PhpInt(left) % PhpInt(right),
            Op.Fmod => right == 0 ? throw new ExprException("Division by zero.") : left % right,
            Op.Pow => Math.Pow(left, right),
            Op.Exponent => left * Math.Pow(10, right),
            Op.Round => PhpRound(left, PhpInt(right)),
            Op.Equality => left == right ? 1 : 0,
            Op.NotEq => left != right ? 1 : 0,
            Op.Less => left < right ? 1 : 0,
            Op.Greater => left > right ? 1 : 0,
            Op.LessEq => left <= right ? 1 : 0,
            Op.GreaterEq => left >= right ? 1 : 0,
            Op.And => left != 0 && right != 0 ? 1 : 0,
            _ => left != 0 || right != 0 ? 1 : 0,
        });
    }

    private static long PhpInt(double d) => double.IsNaN(d) || double.IsInfinity(d) ? 0 : d >= 9.2233720368547758E18 || d <= -9.2233720368547758E18 ? 0 : (long)d;

    /// <summary>PHP's round(): half away from zero, to <paramref name="digits"/> places (negative: tens, hundreds...).</summary>
    public static double PhpRound(double value, long digits)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return value;
        }

        digits = Math.Clamp(digits, -308, 308);
        if (digits >= 0)
        {
            // Through decimal, which keeps 15 significant digits as PHP's pre-rounding does (round(1.955, 2) is 1.96).
            return digits > 15 || Math.Abs(value) >= 7.9e27 ? value : (double)Math.Round((decimal)value, (int)Math.Min(digits, 28), MidpointRounding.AwayFromZero);
        }

        var factor = Math.Pow(10, -digits);
        return Math.Round(value / factor, MidpointRounding.AwayFromZero) * factor;
    }

    /// <summary>PHP's (float) of a string of digits and dots: the longest valid prefix ("1.2.3" is 1.2).</summary>
    private static double PhpFloat(string s)
    {
        var end = 0;
        var dot = false;
        while (end < s.Length && (char.IsAsciiDigit(s[end]) || (s[end] == '.' && !dot)))
        {
            dot |= s[end] == '.';
            end++;
        }

        var number = s[..end];
        return number is "" or "." ? 0 : double.Parse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
    }

    /// <summary>How PHP prints a float (precision 14): "0.33333333333333", "1.0E+20", "INF", "-0".</summary>
    public static string PhpString(double d)
    {
        if (double.IsNaN(d))
        {
            return "NAN";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "INF" : "-INF";
        }

        if (d == 0)
        {
            return double.IsNegative(d) ? "-0" : "0";
        }

        var e = d.ToString("E13", CultureInfo.InvariantCulture); // d.ddddddddddddde+XXX
        var exponent = int.Parse(e.AsSpan(e.IndexOf('E') + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = e[..e.IndexOf('E')];
        if (exponent < -4 || exponent >= 14)
        {
            mantissa = mantissa.TrimEnd('0');
            if (mantissa.EndsWith('.'))
            {
                mantissa += "0";
            }

            return mantissa + "E" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString(CultureInfo.InvariantCulture);
        }

        var rounded = double.Parse(e, NumberStyles.Float, CultureInfo.InvariantCulture);
        var decimals = Math.Max(0, 13 - exponent);
        var fixedText = rounded.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        if (fixedText.Contains('.', StringComparison.Ordinal))
        {
            fixedText = fixedText.TrimEnd('0').TrimEnd('.');
        }

        return fixedText;
    }
}
