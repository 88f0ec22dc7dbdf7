"""The GAN: the generator's gradient through the discriminator, bookkeeping, and the ring."""

import numpy as np
import pytest

from glassnet.data import make_moons, make_ring
from glassnet.gan import GAN, make_discriminator, make_generator
from glassnet.gradcheck import THRESHOLD, numerical_gradient, relative_error


def small_gan(seed=0):
    return GAN(make_generator(hidden=8, seed=seed), make_discriminator(hidden=8, seed=seed + 1),
               seed=seed)


def test_gan_generator_gradient_through_the_discriminator_matches_centred_differences():
    gan = small_gan()
    z = gan.noise(5)
    ones = np.ones((5, 1))

    def g_loss(_):
        return gan.bce.forward(gan.D.forward(gan.G.forward(z)), ones)

    gan.G.zero_grad()
    g_loss(None)
    gan.G.backward(gan.D.backward(gan.bce.backward()))
    for layer in gan.G.layers:
        for key, p in layer.params.items():
            error = relative_error(layer.grads[key], numerical_gradient(g_loss, p))
            assert error < THRESHOLD, (layer.name, key, error)


def test_gan_fit_records_losses_and_snapshots_of_fixed_noise():
    X, _ = make_moons(200, seed=0)
    history = small_gan().fit(X, steps=25, batch_size=16, record_every=10, n_record=30)
    assert len(history.d_loss) == len(history.g_loss) == 25
    assert [step for step, _ in history.snapshots] == [10, 20, 25]
    assert all(samples.shape == (30, 2) for _, samples in history.snapshots)
    assert np.all(np.isfinite(history.d_loss))


def test_gan_train_step_updates_both_players():
    gan = small_gan(seed=3)
    before = [p.copy() for net in (gan.G, gan.D) for layer in net.layers
              for p in layer.params.values()]
    gan.train_step(make_moons(64, seed=1)[0])
    after = [p for net in (gan.G, gan.D) for layer in net.layers for p in layer.params.values()]
    assert all(not np.array_equal(b, a) for b, a in zip(before, after, strict=True))


def test_gan_instance_noise_only_blurs_what_the_discriminator_sees():
    gan = GAN(make_generator(hidden=8, seed=0), make_discriminator(hidden=8, seed=1),
              instance_noise=0.5, seed=0)
    X = np.zeros((4, 2))
    gan._d_loss_and_backward(X, 1.0)
    seen = gan.D.layers[0].cache["X"]
    assert np.all(X == 0.0) and 0.1 < seen.std() < 1.0


def test_gan_fit_rejects_data_of_the_wrong_rank():
    with pytest.raises(ValueError, match=r"GAN.fit: expected an array with 2 dimensions"):
        small_gan().fit(np.zeros(10), steps=1)


@pytest.mark.slow
def test_gan_covers_every_mode_of_the_ring_with_matching_mean_and_covariance():
    # Target: 8 Gaussians (std 0.02) on a circle of radius 2, so mean 0 and covariance ~2 I.
    # Instance noise keeps the result robust: seeds 0 to 3 all pass with a margin.
    X, _ = make_ring(2000, n_modes=8, radius=2.0, std=0.02, seed=0)
    gan = GAN(make_generator(hidden=64, seed=0), make_discriminator(hidden=64, seed=100),
              lr=1e-3, instance_noise=0.1, seed=0)
    gan.fit(X, steps=2000, batch_size=128, record_every=500)
    samples = gan.sample(2000)
    angles = 2 * np.pi * np.arange(8) / 8
    centres = 2.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)   # (8, 2)
    dist = np.linalg.norm(samples[:, None] - centres[None], axis=2)     # (2000, 8)
    near = dist.min(axis=1) < 0.2
    share = np.bincount(dist.argmin(axis=1)[near], minlength=8) / len(samples)
    assert share.min() >= 0.02, share           # every mode holds at least 2% of the samples
    assert near.mean() >= 0.45                  # and about half sit right on a mode
    np.testing.assert_allclose(samples.mean(axis=0), X.mean(axis=0), atol=0.2)
    np.testing.assert_allclose(np.cov(samples.T), np.cov(X.T), atol=0.35)


@pytest.mark.parametrize("kind", GAN.GENERATOR_LOSSES)
def test_gan_generator_loss_and_push_match_centred_differences(kind):
    gan = GAN(make_generator(hidden=8, seed=0), make_discriminator(hidden=8, seed=1),
              generator_loss=kind, seed=0)
    points = gan.noise(6)

    def loss_of(p):
        s = 1 / (1 + np.exp(-gan.D.forward(p)))
        return float(np.mean(-np.log(s) if kind == "non_saturating" else np.log(1 - s)))

    loss, grad = gan._generator_loss_and_grad(points)
    assert loss == pytest.approx(loss_of(points))
    numeric = numerical_gradient(loss_of, points.copy())
    assert relative_error(grad, numeric) < THRESHOLD
    np.testing.assert_allclose(gan.generator_push(points), -numeric * len(points), rtol=1e-5)


def test_gan_saturating_loss_pushes_rejected_samples_far_less():
    # Points that D rejects: the saturating loss's push vanishes there, the other's does not.
    gan = GAN(make_generator(hidden=8, seed=0), make_discriminator(hidden=8, seed=1), seed=0)
    X, _ = make_ring(256, seed=0)
    for _ in range(200):
        gan.D.zero_grad()
        gan._d_loss_and_backward(X[:64], 1.0)
        gan._d_loss_and_backward(X[:64] + 3.0, 0.0)
        gan.d_opt.step(gan.D.layers)
    far = X[:32] + 3.0
    strong = np.linalg.norm(gan.generator_push(far), axis=1).mean()
    gan.generator_loss = "saturating"
    weak = np.linalg.norm(gan.generator_push(far), axis=1).mean()
    assert weak < 0.1 * strong


def test_gan_both_losses_push_the_same_way_differing_in_length_by_sigma_to_one_minus_sigma():
    # The page: for the same discriminator the two arrows point the same way, and their
    # lengths are in the ratio sigma(D(G(z))) to 1 - sigma(D(G(z))).
    gan = GAN(make_generator(hidden=8, seed=0), make_discriminator(hidden=8, seed=1), seed=0)
    points = 2 * gan.noise(20)
    strong = gan.generator_push(points)
    gan.generator_loss = "saturating"
    weak = gan.generator_push(points)
    s = 1 / (1 + np.exp(-gan.D.forward(points)))
    np.testing.assert_allclose(weak, strong * s / (1 - s), rtol=1e-10, atol=1e-14)


def test_gan_rejects_an_unknown_generator_loss():
    with pytest.raises(ValueError, match="generator_loss in .*got 'minimax'"):
        GAN(make_generator(hidden=8), make_discriminator(hidden=8), generator_loss="minimax")
