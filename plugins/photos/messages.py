"""Vietnamese messages to staff about a photo that cannot be published (pure)."""

ACCEPTED = "JPEG, PNG, WebP, HEIC hoặc GIF"
# What the preview shows where a missing photo would be (PHOTOS["missing_placeholder"]).
MISSING_PLACEHOLDER = "Không tìm thấy ảnh: {path}"


def _n(number):
    return f"{number:,}".replace(",", ".")


def explain(code, details):
    """What is wrong and how to fix it, for one PhotoError code."""
    if code == "missing":
        return (
            "không tìm thấy tệp ảnh. Kiểm tra lại tên tệp (phân biệt chữ hoa, chữ thường) "
            "và đặt ảnh vào thư mục content/images/."
        )
    if code == "outside":
        return (
            "nằm ngoài thư mục content/ (đường dẫn có '../'). Hãy chép ảnh vào "
            "content/images/ và viết đường dẫn dạng images/<năm>/<tháng>/<tên-ảnh>.jpg."
        )
    if code == "unsupported":
        return (
            f"có định dạng {details.get('fmt', '?')} mà trang không đăng được. "
            f"Hãy lưu lại ảnh dưới dạng {ACCEPTED}."
        )
    if code == "unreadable":
        return (
            "không đọc được: tệp bị hỏng hoặc không phải là ảnh. Hãy chép lại ảnh gốc "
            f"từ máy ảnh hoặc điện thoại (định dạng {ACCEPTED})."
        )
    if code == "truncated":
        return (
            "bị hỏng hoặc chưa chép hết (tệp bị cụt), không giải nén được. Hãy chép lại "
            "ảnh gốc từ máy ảnh hoặc điện thoại."
        )
    if code == "bomb":
        w, h = details.get("width", 0), details.get("height", 0)
        size = f" ({_n(w)}×{_n(h)} điểm ảnh)" if w and h else ""
        return (
            f"quá lớn{size}, vượt giới hạn {_n(details.get('max_pixels', 0))} điểm ảnh "
            "(có thể là tệp độc hại). Hãy thu nhỏ ảnh trước khi đưa lên trang."
        )
    return (
        f"không xử lý được ({details.get('reason', code)}). Hãy thử lưu lại ảnh dưới dạng "
        "JPEG; nếu vẫn lỗi, báo cho bộ phận kỹ thuật kèm tệp ảnh."
    )


def photo_message(source_file, line, written, code, details):
    return f"{source_file}:{line}: ảnh '{written}' {explain(code, details)}"
