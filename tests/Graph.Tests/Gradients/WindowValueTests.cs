using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Gradients;

/// <summary>The compiled convolution and pooling against direct sums written out here.</summary>
public sealed class WindowValueTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ConvolutionIsTheDirectSumOverEachWindow(int batch)
    {
        const int h = 5, w = 6, c = 2, kh = 2, kw = 3, count = 3, oh = h - kh + 1, ow = w - kw + 1;
        var model = new ConvolutionForwardModel(4);
        var x = GradientCheck.Draw(new NumpyRandom(8), h * w * c * batch);
        var output = new double[oh * ow * count * batch];
        model.Predict(x, output, batch);

        var k = model.Parameters["K"].Value;
        for (int s = 0; s < batch; s++)
        {
            for (int oy = 0; oy < oh; oy++)
            {
                for (int ox = 0; ox < ow; ox++)
                {
                    for (int n = 0; n < count; n++)
                    {
                        double sum = 0;
                        for (int dy = 0; dy < kh; dy++)
                        {
                            for (int dx = 0; dx < kw; dx++)
                            {
                                for (int ch = 0; ch < c; ch++)
                                {
                                    double pixel = x[(s * h * w * c) + ((((oy + dy) * w) + ox + dx) * c) + ch];
                                    sum += pixel * k[(((((dy * kw) + dx) * c) + ch) * count) + n];
                                }
                            }
                        }

                        Assert.Equal(sum, output[(s * oh * ow * count) + ((((oy * ow) + ox) * count) + n)], 12);
                    }
                }
            }
        }
    }

    [Fact]
    public void MeanPoolingAveragesEachWindowPerChannel()
    {
        const int h = 4, w = 6, c = 2, batch = 2;
        var model = new MeanPoolForwardModel(0);
        var x = GradientCheck.Draw(new NumpyRandom(3), h * w * c * batch);
        var output = new double[(h / 2) * (w / 2) * c * batch];
        model.Predict(x, output, batch);
        for (int s = 0; s < batch; s++)
        {
            for (int py = 0; py < h / 2; py++)
            {
                for (int px = 0; px < w / 2; px++)
                {
                    for (int ch = 0; ch < c; ch++)
                    {
                        double sum = 0;
                        for (int dy = 0; dy < 2; dy++)
                        {
                            for (int dx = 0; dx < 2; dx++)
                            {
                                sum += x[(s * h * w * c) + (((((2 * py) + dy) * w) + (2 * px) + dx) * c) + ch];
                            }
                        }

                        Assert.Equal(sum / 4, output[(s * (h / 2) * (w / 2) * c) + ((((py * (w / 2)) + px) * c) + ch)], 12);
                    }
                }
            }
        }
    }
}
