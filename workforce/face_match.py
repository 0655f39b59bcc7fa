"""人证比对 backends (docs/face-match.md): compare a person's photo with the ID card's photo.

Two backends, chosen by settings.FACE_MATCH_BACKEND:

- ``manual``: nothing is computed; the clerk looks at both photos side by side and confirms.
- ``local``: dlib's ResNet face descriptor (the ``dlib-bin`` wheel) with the model files of the
  ``face_recognition_models`` package, run in this process: no image leaves the server.

The score is a similarity in [0, 1]: 1 - the Euclidean distance of the two 128-d descriptors (dlib
calls two faces the same person below a distance of 0.6, i.e. a similarity above 0.4).
"""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageOps

MANUAL = "manual"
LOCAL = "local"
# Images are shrunk to this many pixels on the long side before detection: the detector finds faces
# of ~80 px and up, and a phone's 4000 px photo would cost seconds for nothing.
MAX_SIDE = 800
# Below this short side (an ID card chip photo is 102 × 126) the image is upsampled twice more.
SMALL_SIDE = 400


class FaceMatchUnavailable(RuntimeError):
    """The `local` backend is configured but its packages are not installed."""


@dataclass(frozen=True)
class FaceResult:
    method: str
    score: float | None  # None: not computed (manual) or no face found
    threshold: float | None
    note: str = ""

    @property
    def passed(self) -> bool:
        return self.score is not None and self.threshold is not None and self.score >= self.threshold


def backend() -> str:
    return settings.FACE_MATCH_BACKEND


def local_available() -> bool:
    return all(importlib.util.find_spec(name) for name in ("dlib", "numpy", "face_recognition_models"))


@functools.cache
def _models():
    """dlib's detector, 5-point landmarks and ResNet descriptor, loaded once per process (~0.5 s).

    The model files are found without importing face_recognition_models, whose __init__ needs
    setuptools' pkg_resources for nothing more than these paths."""
    if not local_available():
        raise FaceMatchUnavailable("本地人脸比对组件未安装（pip install .[face]）")
    import dlib

    folder = Path(importlib.util.find_spec("face_recognition_models").origin).parent / "models"
    return (
        dlib.get_frontal_face_detector(),
        dlib.shape_predictor(str(folder / "shape_predictor_5_face_landmarks.dat")),
        dlib.face_recognition_model_v1(str(folder / "dlib_face_recognition_resnet_model_v1.dat")),
    )


def _pixels(file):
    import numpy

    file.open("rb")
    try:
        image = Image.open(file)
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # a JPEG decodes at 1/2…1/8 scale: a phone photo in ~30 ms
        image = ImageOps.exif_transpose(image).convert("RGB")
    finally:
        file.close()
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    return numpy.asarray(image)


def descriptor(file):
    """The 128-d descriptor of the largest face in an image file, or None when there is no face."""
    import numpy

    detector, landmarks, encoder = _models()
    pixels = _pixels(file)
    # Upsampling finds smaller faces at ~4× the cost each time: a portrait's face is found at once.
    faces = detector(pixels, 0) or detector(pixels, 1)
    if not faces and min(pixels.shape[:2]) < SMALL_SIDE:
        faces = detector(pixels, 2)
    if not faces:
        return None
    face = max(faces, key=lambda rect: rect.area())
    return numpy.array(encoder.compute_face_descriptor(pixels, landmarks(pixels, face)))


def compare_local(photo, card_photo, threshold: float) -> FaceResult:
    import numpy

    mine, card = descriptor(photo), descriptor(card_photo)
    missing = [label for label, found in (("人员照片", mine), ("身份证照片", card)) if found is None]
    if missing:
        return FaceResult(LOCAL, None, threshold, f"{'和'.join(missing)}中未检测到人脸")
    distance = float(numpy.linalg.norm(mine - card))
    return FaceResult(LOCAL, round(max(0.0, 1.0 - distance), 4), threshold)


def compare(photo, card_photo) -> FaceResult:
    """Compare with the configured backend; `local` without its packages falls back to manual."""
    if backend() == LOCAL:
        if local_available():
            return compare_local(photo, card_photo, settings.FACE_MATCH_THRESHOLD)
        return FaceResult(MANUAL, None, None, "本地人脸比对组件未安装，改为人工核对")
    return FaceResult(MANUAL, None, None)
