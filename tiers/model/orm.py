"""The data model of the cultivation work (SQLAlchemy 2, typed mappings).

Money is Decimal in 万元 (Numeric: exact NUMERIC on PostgreSQL; SQLite stores it as REAL and
SQLAlchemy returns Decimal rounded to the scale). Reference data (tiers, chains, divisions)
lives in ``resources/`` and is referred to by code.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Money = Numeric(16, 4, asdecimal=True)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class FromPackage:
    """Provenance of a row that came in an exchange package (数据包, migration 0007): the
    package that last set it and the county it came from. NULL: entered at this database,
    which a package never touches."""

    source_package_id: Mapped[int | None] = mapped_column(Integer)
    source_county: Mapped[str | None] = mapped_column(String(6), index=True)


class ImportBatch(Base):
    __tablename__ = "import_batch"
    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    sheet: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(30))
    mapping: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    counts: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    user: Mapped[str] = mapped_column(String(100), default="")
    undone_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    undone_by: Mapped[str] = mapped_column(String(100), default="")


class Enterprise(FromPackage, Base):
    __tablename__ = "enterprise"
    id: Mapped[int] = mapped_column(primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    pinyin_initials: Mapped[str] = mapped_column(String(200), default="")
    pinyin_key: Mapped[str] = mapped_column(String(1000), default="", index=True)  # sorting
    legacy_code: Mapped[str] = mapped_column(String(30), default="")  # 注册号/组织机构代码
    county_code: Mapped[str | None] = mapped_column(String(6), index=True)
    county_name: Mapped[str] = mapped_column(String(50), default="", index=True)
    town: Mapped[str] = mapped_column(String(100), default="", index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    industry: Mapped[str] = mapped_column(String(200), default="")  # 国民经济行业分类
    main_product: Mapped[str] = mapped_column(String(300), default="")
    founded_on: Mapped[dt.date | None] = mapped_column(Date)
    legal_representative: Mapped[str] = mapped_column(String(50), default="")
    contact_person: Mapped[str] = mapped_column(String(50), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    size: Mapped[str] = mapped_column(String(10), default="")  # 大型/中型/小型/微型
    listing_status: Mapped[str] = mapped_column(String(20), default="")
    tags: Mapped[str] = mapped_column(String(300), default="")  # comma separated
    notes: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
    # raised by every write to the firm or its records (tiers.services.versions), so that
    # a save made from an older reading is noticed instead of overwriting (no lost updates)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    former_names: Mapped[list[FormerName]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan", order_by="FormerName.id")
    recognitions: Mapped[list[Recognition]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan")
    figures: Mapped[list[AnnualFigures]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan",
        order_by="AnnualFigures.year")
    support_measures: Mapped[list[SupportMeasure]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan")
    chain_roles: Mapped[list[ChainRole]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan")
    cultivation_entries: Mapped[list[CultivationEntry]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan")


class FormerName(FromPackage, Base):
    """曾用名: kept for matching rosters that still use the old name. ``is_alias``: not a
    former name but another way lists write the firm (a 简称 the officer linked and asked
    to remember, 导入向导's 指定关联): it matches like one, and is no 曾用名 in the 档案, the
    reports or the 数据包."""

    __tablename__ = "former_name"
    __table_args__ = (UniqueConstraint("enterprise_id", "name_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    pinyin_initials: Mapped[str] = mapped_column(String(200), default="")
    is_alias: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    enterprise: Mapped[Enterprise] = relationship(back_populates="former_names")


class AnnualFigures(FromPackage, Base):
    """年度数据: what the criteria need, money in 万元."""

    __tablename__ = "annual_figures"
    __table_args__ = (UniqueConstraint("enterprise_id", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    revenue: Mapped[Decimal | None] = mapped_column(Money)  # 营业收入
    main_revenue: Mapped[Decimal | None] = mapped_column(Money)  # 主营业务收入
    net_profit: Mapped[Decimal | None] = mapped_column(Money)  # 净利润
    rd_expense: Mapped[Decimal | None] = mapped_column(Money)  # 研发费用
    employees: Mapped[int | None] = mapped_column(Integer)  # 从业人员
    rd_staff: Mapped[int | None] = mapped_column(Integer)  # 研发人员
    total_assets: Mapped[Decimal | None] = mapped_column(Money)  # 资产总额
    total_liabilities: Mapped[Decimal | None] = mapped_column(Money)  # 负债总额
    ip_class1: Mapped[int | None] = mapped_column(Integer)  # Ⅰ类知识产权
    ip_class2: Mapped[int | None] = mapped_column(Integer)  # Ⅱ类知识产权
    niche_years: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))  # 细分市场年限
    market_share: Mapped[Decimal | None] = mapped_column(Numeric(7, 3))  # 细分市场占有率 %
    equity_financing: Mapped[Decimal | None] = mapped_column(Money)  # 新增股权融资（实缴）
    # inputs of the 2026 办法 (migration 0005): the platform's score as recorded, the firm's
    # rank in its domestic niche, its lead product's share of 营业收入 (%), its research
    # centres, and its best place among the winners of a 科技奖励 received that year
    development_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))  # 发展评价得分
    domestic_rank: Mapped[int | None] = mapped_column(Integer)  # 国内细分市场排名
    lead_product_ratio: Mapped[Decimal | None] = mapped_column(Numeric(7, 3))  # 主导产品占比 %
    national_rd_centers: Mapped[int | None] = mapped_column(Integer)  # 国家级研发机构
    provincial_rd_centers: Mapped[int | None] = mapped_column(Integer)  # 省部级研发机构
    national_award_rank: Mapped[int | None] = mapped_column(Integer)  # 国家级科技奖励排名
    provincial_award_rank: Mapped[int | None] = mapped_column(Integer)  # 省部级科技奖励排名
    # inputs of the 2022 13-indicator score (migration 0006, domain.md §2.6): the kinds of Ⅰ类
    # rights and of research centres that earn more points, the 数字化 level, the 质量 items
    # met, the lead product's field (1 补短板/锻长板/填空白, 2 六基/老字号/龙头配套, 3 其他) and
    # the 特色化 points the provincial platform gave (Jiangsu's own items are not published)
    ip_class1_high_value: Mapped[int | None] = mapped_column(Integer)  # 高价值Ⅰ类知识产权
    ip_class1_own: Mapped[int | None] = mapped_column(Integer)  # 自主研发Ⅰ类知识产权
    municipal_rd_centers: Mapped[int | None] = mapped_column(Integer)  # 市级研发机构
    lower_rd_centers: Mapped[int | None] = mapped_column(Integer)  # 市级以下研发机构
    digital_level: Mapped[int | None] = mapped_column(Integer)  # 数字化水平（级）
    quality_items: Mapped[int | None] = mapped_column(Integer)  # 质量管理水平（项）
    lead_field_class: Mapped[int | None] = mapped_column(Integer)  # 主导产品领域档次
    distinctive_score: Mapped[int | None] = mapped_column(Integer)  # 特色化指标得分
    note: Mapped[str] = mapped_column(Text, default="")
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
    enterprise: Mapped[Enterprise] = relationship(back_populates="figures")


class Recognition(FromPackage, Base):
    """One recognition of one enterprise: tier, batch, document, validity."""

    __tablename__ = "recognition"
    __table_args__ = (
        Index("ix_recognition_enterprise_tier", "enterprise_id", "tier_code"),
        Index("ix_recognition_valid_until", "valid_until"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    tier_code: Mapped[str] = mapped_column(String(30))
    level: Mapped[str] = mapped_column(String(10))
    issuer: Mapped[str] = mapped_column(String(100), default="")
    batch_label: Mapped[str] = mapped_column(String(50), default="")  # 第五批 / 2023年度
    batch_year: Mapped[int | None] = mapped_column(Integer, index=True)
    is_review: Mapped[bool] = mapped_column(Boolean, default=False)  # 复核通过
    # from a 公示 list: 公示中 until the final list or the officer confirms it (not held)
    is_pending: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    review_of_batch: Mapped[str] = mapped_column(String(50), default="")
    document_number: Mapped[str] = mapped_column(String(100), default="")  # 文号
    recognized_on: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    # 有效期至 推算 by Tiers (the list or the officer gave none): shown as such (migration 0010)
    valid_until_estimated: Mapped[bool] = mapped_column(Boolean, default=False,
                                                        server_default=false())
    revoked_on: Mapped[dt.date | None] = mapped_column(Date)
    revoke_reason: Mapped[str] = mapped_column(String(300), default="")
    chain_code: Mapped[str | None] = mapped_column(String(3))  # for 链主
    rule_set: Mapped[str] = mapped_column(String(50), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
    enterprise: Mapped[Enterprise] = relationship(back_populates="recognitions")


class ChainRole(FromPackage, Base):
    __tablename__ = "chain_role"
    __table_args__ = (UniqueConstraint("enterprise_id", "chain_code"),
                      Index("ix_chain_role_chain", "chain_code"))
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    chain_code: Mapped[str] = mapped_column(String(3))
    role: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
    enterprise: Mapped[Enterprise] = relationship(back_populates="chain_roles")


class SupportMeasure(FromPackage, Base):
    __tablename__ = "support_measure"
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(200), default="")
    amount: Mapped[Decimal | None] = mapped_column(Money)  # 万元
    paid_on: Mapped[dt.date | None] = mapped_column(Date)  # 兑现日期
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    implementer: Mapped[str] = mapped_column(String(100), default="")  # 实施单位
    implementer_level: Mapped[str] = mapped_column(String(10), default="")
    policy_basis: Mapped[str] = mapped_column(String(200), default="")  # 政策依据/文号
    # no default: every path gives one (measures.clean: 已兑现 with a 兑现日期, else 审核); a
    # default of 已兑现 here counted a measure nobody said was paid in the paid totals
    status: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
    enterprise: Mapped[Enterprise] = relationship(back_populates="support_measures")


class CultivationEntry(FromPackage, Base):
    """培育库: an enterprise aimed at a target tier in a target year."""

    __tablename__ = "cultivation_entry"
    __table_args__ = (UniqueConstraint("enterprise_id", "target_tier", "target_year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    target_tier: Mapped[str] = mapped_column(String(30))
    target_year: Mapped[int] = mapped_column(Integer)
    officer: Mapped[str] = mapped_column(String(50), default="")  # 包挂责任人
    status: Mapped[str] = mapped_column(String(10), default="培育中")
    note: Mapped[str] = mapped_column(Text, default="")
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
    enterprise: Mapped[Enterprise] = relationship(back_populates="cultivation_entries")


class Change(Base):
    """The audit trail: one row per changed field (or per created/deleted record)."""

    __tablename__ = "change"
    __table_args__ = (Index("ix_change_entity", "entity", "entity_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    user: Mapped[str] = mapped_column(String(100), default="")
    entity: Mapped[str] = mapped_column(String(30))  # table name
    entity_id: Mapped[int] = mapped_column(Integer)
    enterprise_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(10))  # create/update/delete/restore/revoke
    field: Mapped[str] = mapped_column(String(50), default="")
    old_value: Mapped[str | None] = mapped_column(Text)  # JSON
    new_value: Mapped[str | None] = mapped_column(Text)  # JSON
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id"), index=True)


class ProfileSave(Base):
    """One 保存 of the firm window that got in, by the token the window made for it (migration
    0011): written in the save's own transaction, so that a 保存 again after one whose answer
    the server's connection lost finds it and writes nothing twice (a new 梯度认定 or 扶持措施,
    a new firm). Goes with its firm (ON DELETE CASCADE)."""

    __tablename__ = "profile_save"
    token: Mapped[str] = mapped_column(String(36), primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ExchangePackage(Base):
    """An exchange package (数据包) applied here: who sent it, when, and its import batch
    (undone with it)."""

    __tablename__ = "exchange_package"
    id: Mapped[int] = mapped_column(primary_key=True)
    import_batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    source_unit: Mapped[str] = mapped_column(String(200))
    package_date: Mapped[dt.datetime] = mapped_column(DateTime)
    tiers_version: Mapped[str] = mapped_column(String(30))
    counts: Mapped[str] = mapped_column(Text)  # JSON: rows per table in the package


class ExchangePackageCounty(Base):
    """One county an applied package covered, and how many of its firms it carried."""

    __tablename__ = "exchange_package_county"
    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(
        ForeignKey("exchange_package.id", ondelete="CASCADE"))
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    county_name: Mapped[str] = mapped_column(String(50))
    firms: Mapped[int] = mapped_column(Integer)


class UnitCounty(Base):
    """One division this database's own unit answers for (本单位负责的区县, migration 0012):
    a 县级 division, or a 设区市 standing for all its counties. A county officer's laptop
    database names its county, so that an import of a province's list leaves the other
    counties' firms out (tiers.services.unit); none recorded, nothing is left out."""

    __tablename__ = "unit_county"
    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
