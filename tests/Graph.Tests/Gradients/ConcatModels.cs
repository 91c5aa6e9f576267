using Graph;
using static Graph.Ops;

namespace Graph.Tests.Gradients;

// Models for Concat and InitIdentity. The losses project a nonlinear function of the joined value onto a random r,
// so that every element of each part has its own weight in the gradient.

[Model(typeof(double))]
public partial class ConcatRowsModel : IGradientCheckModel
{
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }

    [Loss]
    public Tensor Loss([Shape(3)] Tensor x, [Shape(2, 4)] Tensor r)
    {
        Tensor h = x.Dot(W);
        return Sum(Tanh(Concat(Reshape(h, 1, 4), Reshape(Sigmoid(h), 1, 4))) * r);
    }
}

[Model(typeof(double))]
public partial class ConcatSharedModel : IGradientCheckModel
{
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Param(2, 4), InitUniform(-1, 1)] public partial Tensor P { get; }

    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(3, 4)] Tensor r) => Sum(Tanh(Concat(P, Reshape(x.Dot(W), 1, 4))) * r);
}

[Model(typeof(double))]
public partial class ConcatVectorsModel : IGradientCheckModel
{
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Param(2), InitUniform(-1, 1)] public partial Tensor B { get; }
    [Param(1), InitUniform(-1, 1)] public partial Tensor C { get; }

    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(7)] Tensor r) => Sum(Tanh(Concat(x.Dot(W), Concat(B, C))) * r);
}

[Model(typeof(double))]
public partial class ConcatForwardModel
{
    [Param(2), InitValues(10, 20)] public partial Tensor P { get; }
    [Param(1, 2), InitValues(-1, -2)] public partial Tensor Row { get; }

    [Forward] public Tensor Join([Shape(3)] Tensor x) => Concat(Concat(x, P), x * 2);

    [Forward] public Tensor JoinRows([Shape(2, 2)] Tensor x) => Concat(Row, x);
}

[Model(typeof(double)), Size("Hidden", 2)]
public partial class ConcatNamedSizeModel
{
    [Param("Hidden"), InitZeros] public partial Tensor P { get; }

    [Forward] public Tensor Join([Shape("Hidden")] Tensor x) => Concat(x, P);
}

[Model(typeof(double))]
public partial class IdentityModel : IGradientCheckModel
{
    [Param(3, 3), InitIdentity] public partial Tensor Recurrent { get; }
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }

    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(4)] Tensor r) => Sum(Tanh(x.Dot(Recurrent).Dot(W)) * r);
}

[Model(typeof(float)), Size("Hidden", 2)]
public partial class IdentityNamedSizeModel
{
    [Param("Hidden", "Hidden"), InitIdentity] public partial Tensor Recurrent { get; }

    [Forward] public Tensor Step([Shape("Hidden")] Tensor x) => x.Dot(Recurrent);
}
