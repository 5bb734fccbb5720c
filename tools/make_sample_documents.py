"""Generate the sample documents (văn bản) of the demo site: Markdown and PDF.

Each sample is written twice: `content/van-ban/<year>-<number>.md` (the header the
documents plugin reads, and the abstract) and `content/files/van-ban/<year>-<number>.pdf`,
a one-page PDF laid out like a Vietnamese administrative document: the issuing body and
the number on the left, the national motto (Quốc hiệu, Tiêu ngữ) and the place and date on
the right, the type and abstract as the title, a few paragraphs, the recipients and the
signer's block. fpdf2 (pinned in requirements-dev.txt) with the DejaVu Serif font of the
system (`fonts-dejavu-core`), subset and compressed: a few KB each. The output is the same
bytes on every run (fixed creation date, no author or title in the PDF's properties).

Since 1 July 2025 wards sit directly under the city: documents issued from that day name
no district (the heading is "THÀNH PHỐ HÀ NỘI"), earlier ones carry "QUẬN LONG BIÊN".

Usage::

    python tools/make_sample_documents.py            # into content/
    python tools/make_sample_documents.py --content /tmp/content --only 12/TB-UBND
"""

import argparse
import functools
import re
import sys
import tempfile
import unicodedata
from datetime import date, datetime
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF

ROOT = Path(__file__).resolve().parent.parent
FONTS = Path("/usr/share/fonts/truetype/dejavu")
TWO_LEVELS = date(2025, 7, 1)  # wards directly under the city from this day
CREATED = datetime(2026, 1, 1, 0, 0, 0)
TEMP = tempfile.TemporaryDirectory(prefix="sample-documents-")

CHAIR = {
    "vu-trong-thu": ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Vũ Trọng Thư"),
    "bui-quang-cu": ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "Bùi Quang Cự"),
    "le-van-hung": ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "Lê Văn Hùng"),
    "pham-thi-minh-hong": ("T/M ĐẢNG ỦY", "BÍ THƯ", "Phạm Thị Minh Hồng"),
}

# Each sample: number, type, issuer, signer, issued, effective, expires, replaced_by,
# the abstract's subject (after the type in the title), the abstract (Markdown body of the
# .md file), and the paragraphs of the PDF.
SAMPLES = [
    {
        "number": "02/KH-UBND",
        "type": "Kế hoạch",
        "signer": "vu-trong-thu",
        "issued": "08/01/2024",
        "effective": "08/01/2024",
        "expires": "31/12/2024",
        "subject": "Tổ chức Tết trồng cây đời đời nhớ ơn Bác Hồ Xuân Giáp Thìn 2024",
        "abstract": "Kế hoạch phát động Tết trồng cây Xuân Giáp Thìn 2024 trên địa bàn phường: "
        "trồng mới 150 cây bóng mát tại các tuyến phố, vườn hoa và trường học; giao các tổ "
        "dân phố chăm sóc cây sau khi trồng.",
        "body": [
            'Thực hiện lời dạy của Chủ tịch Hồ Chí Minh "Vì lợi ích mười năm thì phải trồng '
            'cây", UBND phường xây dựng kế hoạch tổ chức Tết trồng cây Xuân Giáp Thìn 2024.',
            "1. Mục đích: góp phần tạo cảnh quan xanh, sạch, đẹp, cải thiện môi trường sống "
            "của nhân dân; phát huy vai trò của các tổ chức đoàn thể và cộng đồng dân cư.",
            "2. Chỉ tiêu: trồng mới 150 cây bóng mát tại các tuyến phố, vườn hoa, khuôn viên "
            "trường học; 100% cây trồng được chăm sóc, bảo vệ sau khi trồng.",
            "3. Thời gian: lễ phát động tổ chức vào sáng ngày 18/02/2024 tại vườn hoa tổ dân "
            "phố số 8; các tổ dân phố trồng cây đến hết tháng 3/2024.",
        ],
        "recipients": ["Đảng ủy phường;", "Các tổ dân phố;", "Lưu: VT."],
    },
    {
        "number": "45/QĐ-UBND",
        "type": "Quyết định",
        "signer": "vu-trong-thu",
        "issued": "15/04/2024",
        "effective": "15/04/2024",
        "replaced_by": "112/QĐ-UBND",
        "subject": "Ban hành Quy chế hoạt động của Bộ phận Một cửa phường Thượng Thanh",
        "abstract": "Ban hành Quy chế hoạt động của Bộ phận Một cửa: giờ tiếp nhận hồ sơ, "
        "trách nhiệm của từng công chức, việc số hóa hồ sơ ngay khi tiếp nhận và cách "
        "người dân phản ánh khi hồ sơ bị chậm.",
        "body": [
            "Căn cứ Luật Tổ chức chính quyền địa phương; căn cứ Nghị định số 61/2018/NĐ-CP "
            "của Chính phủ về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết "
            "thủ tục hành chính;",
            "Xét đề nghị của công chức Văn phòng – Thống kê,",
            "QUYẾT ĐỊNH:",
            "Điều 1. Ban hành kèm theo Quyết định này Quy chế hoạt động của Bộ phận Một cửa "
            "phường Thượng Thanh.",
            "Điều 2. Quyết định có hiệu lực kể từ ngày ký.",
            "Điều 3. Văn phòng UBND phường, công chức làm việc tại Bộ phận Một cửa và các cá "
            "nhân có liên quan chịu trách nhiệm thi hành Quyết định này.",
        ],
        "recipients": ["Như Điều 3;", "UBND quận (để báo cáo);", "Lưu: VT."],
    },
    {
        "number": "15/TB-UBND",
        "type": "Thông báo",
        "signer": "bui-quang-cu",
        "issued": "26/02/2024",
        "expires": "01/07/2024",
        "subject": "Tuyển chọn lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở",
        "abstract": "Thông báo tuyển chọn thành viên Tổ bảo vệ an ninh, trật tự ở cơ sở: "
        "điều kiện, hồ sơ, thời gian nhận hồ sơ tại Công an phường từ ngày 01/3 đến ngày "
        "31/3/2024.",
        "body": [
            "Thực hiện Luật Lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở, UBND phường "
            "thông báo tuyển chọn thành viên Tổ bảo vệ an ninh, trật tự tại 12 tổ dân phố.",
            "Điều kiện: công dân Việt Nam từ đủ 18 tuổi, cư trú thường xuyên tại phường, có "
            "lý lịch rõ ràng, đủ sức khỏe và tự nguyện tham gia.",
            "Hồ sơ gồm: đơn tự nguyện, sơ yếu lý lịch có xác nhận, bản sao giấy tờ tùy thân; "
            "nộp tại Công an phường trong giờ hành chính từ ngày 01/3 đến ngày 31/3/2024.",
        ],
        "recipients": ["Công an phường;", "Các tổ dân phố;", "Lưu: VT."],
    },
    {
        "number": "58/KH-UBND",
        "type": "Kế hoạch",
        "signer": "le-van-hung",
        "issued": "06/05/2024",
        "effective": "06/05/2024",
        "expires": "01/01/2025",
        "subject": "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính năm 2024",
        "abstract": "Kế hoạch số hóa sổ hộ tịch lưu trữ từ năm 1996 và toàn bộ hồ sơ tiếp "
        "nhận mới tại Bộ phận Một cửa trong năm 2024, kèm phân công và tiến độ từng quý.",
        "body": [
            "Nhằm thực hiện Đề án 06 và chỉ đạo của cấp trên về chuyển đổi số, UBND phường "
            "ban hành kế hoạch số hóa hồ sơ, kết quả giải quyết thủ tục hành chính năm 2024.",
            "1. Số hóa 100% hồ sơ tiếp nhận mới tại Bộ phận Một cửa ngay khi tiếp nhận.",
            "2. Hoàn thành số hóa sổ hộ tịch lưu trữ từ năm 1996 trước ngày 30/9/2024.",
            "3. Công chức Tư pháp – Hộ tịch chủ trì; Văn phòng bảo đảm thiết bị, đường truyền.",
        ],
        "recipients": ["Bộ phận Một cửa;", "Công chức Tư pháp – Hộ tịch;", "Lưu: VT."],
    },
    {
        "number": "12/TB-UBND",
        "type": "Thông báo",
        "signer": "vu-trong-thu",
        "issued": "10/01/2025",
        "effective": "10/01/2025",
        "expires": "01/01/2026",
        "subject": "Lịch tiếp công dân của lãnh đạo phường năm 2025",
        "abstract": "Lịch tiếp công dân định kỳ năm 2025 của Bí thư Đảng ủy, Chủ tịch và các "
        "Phó Chủ tịch UBND phường; tiếp công dân thường xuyên vào các ngày làm việc.",
        "body": [
            "Thực hiện Luật Tiếp công dân, UBND phường thông báo lịch tiếp công dân của lãnh "
            "đạo phường năm 2025 như sau.",
            "Chủ tịch UBND phường tiếp công dân vào sáng thứ Năm hằng tuần; các Phó Chủ tịch "
            "tiếp công dân vào sáng thứ Ba tuần thứ hai và tuần thứ tư hằng tháng.",
            "Địa điểm: Phòng tiếp công dân, tầng 1 trụ sở UBND phường. Thời gian: từ 8 giờ "
            "đến 11 giờ 30.",
        ],
        "recipients": ["Thường trực Đảng ủy;", "Niêm yết tại trụ sở;", "Lưu: VT."],
    },
    {
        "number": "08/CT-UBND",
        "type": "Chỉ thị",
        "signer": "vu-trong-thu",
        "issued": "20/02/2025",
        "effective": "20/02/2025",
        "subject": "Tăng cường phòng cháy, chữa cháy tại nhà ở kết hợp kinh doanh",
        "abstract": "Chỉ thị tăng cường phòng cháy, chữa cháy tại nhà ở kết hợp sản xuất, "
        "kinh doanh: rà soát từng hộ, yêu cầu lối thoát nạn thứ hai, bình chữa cháy và "
        "thiết bị báo cháy.",
        "body": [
            "Thời gian qua, trên địa bàn thành phố xảy ra nhiều vụ cháy tại nhà ở kết hợp "
            "kinh doanh, gây thiệt hại nghiêm trọng về người và tài sản.",
            "Chủ tịch UBND phường yêu cầu Công an phường chủ trì rà soát 100% hộ kinh doanh "
            "trong khu dân cư, hướng dẫn mở lối thoát nạn thứ hai và trang bị bình chữa cháy.",
            "Các tổ dân phố tuyên truyền đến từng hộ; mỗi hộ có ít nhất một người biết sử "
            "dụng bình chữa cháy và ứng cứu ban đầu.",
        ],
        "recipients": ["Công an phường;", "Các tổ dân phố;", "Lưu: VT."],
    },
    {
        "number": "35/BC-UBND",
        "type": "Báo cáo",
        "signer": "bui-quang-cu",
        "issued": "20/06/2025",
        "subject": "Kết quả thực hiện nhiệm vụ kinh tế – xã hội 6 tháng đầu năm 2025",
        "abstract": "Báo cáo kết quả 6 tháng đầu năm 2025: thu ngân sách đạt 62% dự toán, "
        "84% hồ sơ thủ tục hành chính nộp trực tuyến, các nhiệm vụ trọng tâm 6 tháng cuối năm.",
        "body": [
            "Trong 6 tháng đầu năm 2025, UBND phường đã tập trung chỉ đạo thực hiện các nhiệm "
            "vụ phát triển kinh tế – xã hội, bảo đảm quốc phòng, an ninh.",
            "Thu ngân sách trên địa bàn đạt 62% dự toán; 84% hồ sơ thủ tục hành chính được "
            "nộp trực tuyến; không có hồ sơ trễ hạn.",
            "Nhiệm vụ 6 tháng cuối năm: chuẩn bị vận hành chính quyền địa phương hai cấp từ "
            "ngày 01/7/2025, tiếp tục cải cách hành chính, chỉnh trang đô thị.",
        ],
        "recipients": ["Thường trực Đảng ủy;", "Thường trực HĐND phường;", "Lưu: VT."],
    },
    {
        "number": "112/QĐ-UBND",
        "type": "Quyết định",
        "signer": "vu-trong-thu",
        "issued": "05/08/2025",
        "effective": "05/08/2025",
        "subject": "Ban hành Quy chế hoạt động của Bộ phận Một cửa phường Thượng Thanh",
        "abstract": "Ban hành Quy chế hoạt động mới của Bộ phận Một cửa theo mô hình chính "
        "quyền địa phương hai cấp, thay thế Quyết định số 45/QĐ-UBND năm 2024: nhận hồ sơ cả "
        "sáng thứ Bảy và trả kết quả qua bưu điện.",
        "body": [
            "Căn cứ Luật Tổ chức chính quyền địa phương năm 2025; căn cứ các văn bản của "
            "Chính phủ về thực hiện cơ chế một cửa, một cửa liên thông;",
            "QUYẾT ĐỊNH:",
            "Điều 1. Ban hành kèm theo Quyết định này Quy chế hoạt động của Bộ phận Một cửa "
            "phường Thượng Thanh.",
            "Điều 2. Quyết định có hiệu lực kể từ ngày ký và thay thế Quyết định số "
            "45/QĐ-UBND ngày 15/4/2024 của UBND phường.",
            "Điều 3. Văn phòng HĐND và UBND phường, các công chức có liên quan chịu trách "
            "nhiệm thi hành Quyết định này.",
        ],
        "recipients": ["Như Điều 3;", "UBND Thành phố (để báo cáo);", "Lưu: VT."],
    },
    {
        "number": "76/KH-UBND",
        "type": "Kế hoạch",
        "signer": "le-van-hung",
        "issued": "22/08/2025",
        "effective": "22/08/2025",
        "expires": "01/11/2025",
        "subject": "Chiến dịch diệt bọ gậy phòng, chống sốt xuất huyết năm 2025",
        "abstract": "Kế hoạch chiến dịch diệt bọ gậy vào sáng Chủ nhật hằng tuần từ ngày "
        "24/8 đến hết tháng 10/2025 tại tất cả tổ dân phố, và phun hóa chất trong 48 giờ "
        "tại nơi có ca bệnh.",
        "body": [
            "Trước tình hình số ca sốt xuất huyết tăng nhanh, UBND phường ban hành kế hoạch "
            "chiến dịch diệt bọ gậy năm 2025.",
            "Thời gian: 7 giờ sáng Chủ nhật hằng tuần, từ ngày 24/8 đến hết tháng 10/2025.",
            "Trạm Y tế phường chủ trì; các tổ dân phố, Ban công tác Mặt trận, Đoàn Thanh niên, "
            "Hội Phụ nữ cử người tham gia kiểm tra từng hộ gia đình.",
        ],
        "recipients": ["Trạm Y tế phường;", "Các tổ dân phố;", "Lưu: VT."],
    },
    {
        "number": "03/TB-UBND",
        "type": "Thông báo",
        "signer": "vu-trong-thu",
        "issued": "02/01/2026",
        "effective": "02/01/2026",
        "expires": "01/01/2027",
        "subject": "Lịch tiếp công dân của lãnh đạo phường năm 2026",
        "abstract": "Lịch tiếp công dân định kỳ năm 2026 của Bí thư Đảng ủy, Chủ tịch và các "
        "Phó Chủ tịch UBND phường, tại Phòng tiếp công dân, tầng 1 trụ sở.",
        "body": [
            "Thực hiện Luật Tiếp công dân, UBND phường thông báo lịch tiếp công dân của lãnh "
            "đạo phường năm 2026.",
            "Bí thư Đảng ủy tiếp công dân sáng ngày 15 hằng tháng; Chủ tịch UBND phường sáng "
            "thứ Năm hằng tuần; các Phó Chủ tịch sáng thứ Ba tuần thứ hai và tuần thứ tư.",
            "Nếu ngày tiếp trùng ngày nghỉ lễ, Tết, lịch chuyển sang ngày làm việc liền sau.",
        ],
        "recipients": ["Thường trực Đảng ủy;", "Niêm yết tại trụ sở;", "Lưu: VT."],
    },
    {
        "number": "09-NQ/ĐU",
        "type": "Nghị quyết",
        "signer": "pham-thi-minh-hong",
        "issuer": "Đảng ủy phường Thượng Thanh",
        "issued": "15/01/2026",
        "effective": "15/01/2026",
        "subject": "Lãnh đạo thực hiện nhiệm vụ chính trị năm 2026",
        "abstract": "Nghị quyết của Đảng ủy phường về lãnh đạo thực hiện nhiệm vụ chính trị năm "
        "2026: ba khâu đột phá là cải cách hành chính, chỉnh trang đô thị và chuyển đổi số.",
        "body": [
            "Đảng ủy phường xác định năm 2026 là năm bản lề thực hiện Nghị quyết Đại hội Đảng "
            "bộ phường nhiệm kỳ 2025 – 2030.",
            "Ba khâu đột phá: cải cách hành chính gắn với chuyển đổi số; chỉnh trang đô thị, "
            "giữ gìn vệ sinh môi trường; xây dựng tổ dân phố văn minh.",
            "Các chi bộ xây dựng chương trình hành động, báo cáo kết quả hằng quý.",
        ],
        "recipients": ["Các chi bộ trực thuộc;", "Lưu: VP Đảng ủy."],
    },
    {
        "number": "05/KH-UBND",
        "type": "Kế hoạch",
        "signer": "bui-quang-cu",
        "issued": "20/01/2026",
        "effective": "20/01/2026",
        "subject": "Tổ chức Tết trồng cây đời đời nhớ ơn Bác Hồ Xuân Bính Ngọ 2026",
        "abstract": "Kế hoạch Tết trồng cây Xuân Bính Ngọ 2026: lễ phát động sáng mùng 8 Tết "
        "tại khu vui chơi ven đê, trồng ít nhất 300 cây bóng mát và cây hoa, mỗi cây có tập "
        "thể hoặc gia đình nhận chăm sóc trong 2 năm đầu.",
        "body": [
            "UBND phường xây dựng kế hoạch tổ chức Tết trồng cây Xuân Bính Ngọ 2026.",
            "Chỉ tiêu: trồng mới ít nhất 300 cây bóng mát, cây hoa; mỗi cây có tập thể hoặc "
            "gia đình nhận chăm sóc trong hai năm đầu, gắn biển ghi tên.",
            "Lễ phát động tổ chức vào sáng mùng 8 Tết (24/02/2026) tại khu vui chơi ven đê, "
            "tổ dân phố số 25.",
        ],
        "recipients": ["Các tổ dân phố;", "Các trường học;", "Lưu: VT."],
    },
    {
        "number": "318/UBND-VP",
        "type": "Công văn",
        "signer": "bui-quang-cu",
        "issued": "10/06/2026",
        "subject": "Rà soát, cập nhật dữ liệu dân cư trước ngày 30/7/2026",
        "abstract": "Đề nghị các tổ dân phố phối hợp Công an phường rà soát, cập nhật dữ liệu "
        "dân cư của từng hộ gia đình và gửi kết quả về Văn phòng trước ngày 30/7/2026.",
        "body": [
            "Để bảo đảm dữ liệu dân cư đúng, đủ, sạch, sống, UBND phường đề nghị các tổ dân "
            "phố phối hợp với Công an phường rà soát thông tin từng hộ gia đình.",
            "Những trường hợp thay đổi nơi cư trú, sinh, tử chưa cập nhật được lập danh sách "
            "riêng để Công an phường hướng dẫn người dân điều chỉnh.",
            "Kết quả gửi về Văn phòng HĐND và UBND phường trước ngày 30/7/2026.",
        ],
        "recipients": ["Các tổ dân phố;", "Công an phường;", "Lưu: VT."],
    },
    {
        "number": "52/BC-UBND",
        "type": "Báo cáo",
        "signer": "vu-trong-thu",
        "issued": "28/09/2026",
        "subject": "Kết quả thực hiện nhiệm vụ 9 tháng đầu năm 2026",
        "abstract": "Báo cáo kết quả 9 tháng đầu năm 2026 trình hội nghị sơ kết: thu ngân sách "
        "đạt 81% dự toán, 93% hồ sơ nộp trực tuyến, các nhiệm vụ quý IV.",
        "body": [
            "Chín tháng đầu năm 2026, các chỉ tiêu chủ yếu của phường đều đạt hoặc vượt tiến "
            "độ đề ra.",
            "Thu ngân sách đạt 81% dự toán; 93% hồ sơ thủ tục hành chính nộp trực tuyến; "
            "hoàn thành chỉnh trang 4 tuyến phố.",
            "Quý IV tập trung hoàn thành các chỉ tiêu năm, chuẩn bị tổng kết năm 2026.",
        ],
        "recipients": ["Thường trực Đảng ủy;", "Thường trực HĐND phường;", "Lưu: VT."],
    },
]

DEFAULT_ISSUER = "UBND phường Thượng Thanh"


def parse_day(text):
    day, month, year = (int(part) for part in text.split("/"))
    return date(year, month, day)


def file_stem(sample):
    slug = unicodedata.normalize("NFD", sample["number"].replace("Đ", "D").replace("đ", "d"))
    slug = "".join(c for c in slug if not unicodedata.combining(c)).lower()
    return f"{parse_day(sample['issued']):%Y}-{re.sub(r'[^a-z0-9]+', '-', slug).strip('-')}"


def markdown(sample):
    lines = [
        f"Number: {sample['number']}",
        f"Type: {sample['type']}",
        f"Issuer: {sample.get('issuer', DEFAULT_ISSUER)}",
        f"Signer: {sample['signer']}",
        f"Issued: {sample['issued']}",
    ]
    for key, name in (("effective", "Effective"), ("expires", "Expires"),
                      ("replaced_by", "Replaced-by")):  # fmt: skip
        if sample.get(key):
            lines.append(f"{name}: {sample[key]}")
    lines.append(f"File: files/van-ban/{file_stem(sample)}.pdf")
    return "\n".join(lines) + "\n\n" + sample["abstract"] + "\n"


@functools.cache
def unhinted(name):
    """The system's DejaVu font without its hinting instructions (about half of each
    embedded subset; a PDF viewer scales the outlines and does not need them), as a file
    in a temporary folder removed when the script ends."""
    font = TTFont(FONTS / f"{name}.ttf", recalcTimestamp=False)
    for table in ("fpgm", "prep", "cvt ", "hdmx", "LTSH", "VDMX", "gasp"):
        if table in font:
            del font[table]
    glyf = font["glyf"]
    for glyph_name in font.getGlyphOrder():
        glyf[glyph_name].removeHinting()
    path = Path(TEMP.name) / f"{name}.ttf"
    font.save(path)
    return str(path)


class Document(FPDF):
    def __init__(self):
        super().__init__(format="A4")
        self.set_margins(25, 18, 18)
        self.set_auto_page_break(True, margin=18)
        # Two faces only (each embedded subset is about 10 KB): the place and date line and
        # "(Đã ký)", italic on paper, are set upright.
        for style, name in (("", "DejaVuSerif"), ("B", "DejaVuSerif-Bold")):
            self.add_font("Serif", style, unhinted(name))
        self.set_creation_date(CREATED)
        self.set_producer("tools/make_sample_documents.py")


def heading(sample, issued):
    """The issuing body, two lines, as printed at the top left."""
    if sample.get("issuer", DEFAULT_ISSUER).startswith("Đảng ủy"):
        upper = "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI" if issued >= TWO_LEVELS else "QUẬN ỦY LONG BIÊN"
        return upper, "ĐẢNG ỦY PHƯỜNG THƯỢNG THANH"
    upper = "THÀNH PHỐ HÀ NỘI" if issued >= TWO_LEVELS else "UBND QUẬN LONG BIÊN"
    return upper, "ỦY BAN NHÂN DÂN\nPHƯỜNG THƯỢNG THANH"


def pdf_bytes(sample):
    issued = parse_day(sample["issued"])
    pdf = Document()
    pdf.add_page()
    left, right = 72, pdf.epw - 72
    top = pdf.get_y()
    upper, body = heading(sample, issued)
    pdf.set_font("Serif", "", 10.5)
    pdf.multi_cell(left, 5, upper, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font("Serif", "B", 10.5)
    pdf.multi_cell(left, 5, body, align="C", new_x="LEFT", new_y="NEXT")
    y = pdf.get_y() + 1
    pdf.line(pdf.l_margin + left / 2 - 12, y, pdf.l_margin + left / 2 + 12, y)
    pdf.set_y(y + 2)
    pdf.set_font("Serif", "", 11)
    pdf.multi_cell(left, 6, f"Số: {sample['number']}", align="C")
    pdf.set_xy(pdf.l_margin + left, top)
    pdf.set_font("Serif", "B", 10.5)
    pdf.multi_cell(right, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C",
                   new_x="LEFT", new_y="NEXT")  # fmt: skip
    pdf.set_font("Serif", "B", 11)
    pdf.multi_cell(right, 6, "Độc lập - Tự do - Hạnh phúc", align="C", new_x="LEFT", new_y="NEXT")
    y = pdf.get_y() + 0.5
    centre = pdf.l_margin + left + right / 2
    pdf.line(centre - 27, y, centre + 27, y)
    pdf.set_xy(pdf.l_margin + left, y + 3)
    pdf.set_font("Serif", "", 11)
    place = f"Thượng Thanh, ngày {issued.day:02d} tháng {issued.month:02d} năm {issued.year}"
    pdf.multi_cell(right, 6, place, align="C")
    pdf.set_y(max(pdf.get_y(), top + 32) + 6)
    pdf.set_font("Serif", "B", 13)
    pdf.multi_cell(0, 7, sample["type"].upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Serif", "B", 11.5)
    pdf.multi_cell(0, 6, sample["subject"], align="C", new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y() + 1
    pdf.line(pdf.w / 2 - 20, y, pdf.w / 2 + 20, y)
    pdf.ln(6)
    for paragraph in sample["body"]:
        bold = paragraph.isupper() or (paragraph.endswith(":") and len(paragraph) < 20)
        pdf.set_font("Serif", "B" if bold else "", 11.5)
        pdf.multi_cell(0, 6.5, ("" if bold else "      ") + paragraph,
                       align="C" if bold else "J", new_x="LMARGIN", new_y="NEXT")  # fmt: skip
        pdf.ln(1.5)
    pdf.ln(4)
    top = pdf.get_y()
    pdf.set_font("Serif", "B", 10)
    pdf.cell(70, 5, "Nơi nhận:", new_x="LEFT", new_y="NEXT")
    pdf.set_font("Serif", "", 9.5)
    for line in sample["recipients"]:
        pdf.cell(70, 4.5, f"- {line}", new_x="LEFT", new_y="NEXT")
    on_behalf, title, name = CHAIR[sample["signer"]]
    pdf.set_xy(pdf.l_margin + 75, top)
    pdf.set_font("Serif", "B", 11)
    pdf.multi_cell(pdf.epw - 75, 5.5, f"{on_behalf}\n{title}", align="C", new_x="LEFT",
                   new_y="NEXT")  # fmt: skip
    pdf.set_font("Serif", "", 9.5)
    pdf.multi_cell(pdf.epw - 75, 5, "(Đã ký)", align="C", new_x="LEFT", new_y="NEXT")
    pdf.ln(14)
    pdf.set_x(pdf.l_margin + 75)
    pdf.set_font("Serif", "B", 11.5)
    pdf.multi_cell(pdf.epw - 75, 6, name, align="C")
    return bytes(pdf.output())


def write(path, data):
    """Write only when the bytes differ (unchanged files keep their time for rsync)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
        return True
    return False


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python tools/make_sample_documents.py")
    parser.add_argument("--content", default=str(ROOT / "content"), help="the content folder")
    parser.add_argument("--only", nargs="*", help="numbers of the samples to write")
    parser.add_argument("--no-markdown", action="store_true", help="write the PDFs only")
    args = parser.parse_args(argv)
    content = Path(args.content)
    chosen = [s for s in SAMPLES if not args.only or s["number"] in args.only]
    for sample in chosen:
        stem = file_stem(sample)
        pdf = content / "files" / "van-ban" / f"{stem}.pdf"
        changed = write(pdf, pdf_bytes(sample))
        if not args.no_markdown:
            changed |= write(content / "van-ban" / f"{stem}.md", markdown(sample).encode())
        print(f"{'written' if changed else 'unchanged'}: {stem} ({pdf.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
