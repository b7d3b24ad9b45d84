"""hoso: hồ sơ kiểm điểm, đánh giá, xếp loại chất lượng hằng năm."""

__version__ = "0.1.0"
