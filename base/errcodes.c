/*
 * errcodes.c - the table of stable error codes and their Indonesian wording.
 *
 * Administrators read message and advice in failed/<pd>/<name>.error.yaml
 * (as "pesan" and "saran"); keep them short, concrete and polite.  Codes are
 * stable: add rows, never rename.  "{helpdesk}" stands for the office that
 * helps administrators (sertel.yaml helpdesk:, default Diskominfo); it is
 * filled in where the text is written (err_text).
 */
#include <stdio.h>
#include <string.h>

#include "err.h"

static const struct err_info table[] = {
	/* configuration (read by the IT office; exit 78) */
	{ "config.io", "Berkas konfigurasi tidak dapat dibaca.",
	  "Periksa path dan hak akses berkas konfigurasi.", "configuration file cannot be read" },
	{ "config.syntax", "Sintaks YAML konfigurasi salah.",
	  "Perbaiki baris dan kolom yang disebut.", "YAML syntax error in configuration" },
	{ "config.unknown_key", "Kunci konfigurasi tidak dikenal.",
	  "Hapus kunci itu atau perbaiki ejaannya (lihat README).", "unknown configuration key" },
	{ "config.type", "Tipe nilai konfigurasi salah.",
	  "Gunakan tipe yang diminta (lihat README).", "wrong type in configuration" },
	{ "config.missing", "Kunci konfigurasi wajib tidak ada.",
	  "Tambahkan kunci yang disebut.", "required configuration key missing" },
	{ "config.value", "Nilai konfigurasi tidak valid.",
	  "Perbaiki nilai sesuai README.", "invalid configuration value" },
	{ "config.server", "Berkas atau folder server yang disebut konfigurasi tidak ada atau tidak dapat dipakai.",
	  "Perbaiki berkas atau folder yang disebut (trust anchor, kata sandi TSA, spool, state), lalu jalankan sertel config check.",
	  "a file or folder of the server that the configuration names is missing or unusable" },

	/* the PDF itself */
	{ "pdf.not_pdf", "Berkas bukan dokumen PDF.",
	  "Unggah ulang dokumen dalam format PDF.", "file is not a PDF" },
	{ "pdf.corrupt", "Berkas PDF rusak atau terpotong dan tidak dapat dibuka dengan benar.",
	  "Simpan ulang/ekspor ulang PDF dari aplikasi asalnya, lalu unggah kembali bersama metadata paraf yang baru.",
	  "PDF is corrupt or truncated" },
	{ "input.unknown_pd", "Berkas diletakkan di folder yang bukan folder Perangkat Daerah mana pun.",
	  "Pindahkan berkas ke folder Perangkat Daerah Anda (daftar folder yang dikenal ada di keterangan), lalu unggah ulang; jangan membuat folder baru di incoming/.",
	  "a file in a folder of incoming/ that is no PD's" },
	{ "input.no_pd", "Berkas diletakkan langsung di folder incoming/, bukan di folder Perangkat Daerah.",
	  "Unggah ulang berkas ke dalam folder Perangkat Daerah Anda di incoming/ (daftar folder yang dikenal ada di keterangan).",
	  "a file directly in incoming/, in no PD's folder" },
	{ "pdf.incomplete", "Berkas PDF terpotong: unggahannya terputus sebelum selesai (berkas tidak diakhiri penanda akhir PDF).",
	  "Unggah ulang berkas PDF yang sama sampai selesai (jangan tutup jendela atau putus koneksi saat menyalin); metadata paraf tidak perlu diubah.",
	  "PDF is cut short: the upload stopped before its end (no end-of-file marker)" },
	{ "pdf.loop", "PDF memuat rujukan yang berputar atau bersarang terlalu dalam (halaman, XObject, pola, font Type 3, anotasi atau penanda yang merujuk dirinya sendiri); penampil PDF akan menampilkannya berbeda-beda atau macet.",
	  "Cetak ulang dokumen ke PDF baru (Print to PDF) dari aplikasi asalnya, lalu unggah kembali bersama metadata paraf yang baru.",
	  "PDF contains a reference loop" },
	{ "pdf.bomb", "PDF menuntut kerja jauh melebihi batas wajar saat dibuka: stream atau gambar yang mengembang berlebihan (bom dekompresi), halaman dengan jutaan operasi gambar, atau jutaan objek yang harus dikunjungi.",
	  "Jangan tandatangani berkas ini; buat ulang PDF dari aplikasi asalnya (Print to PDF) dan laporkan asal berkas ke {helpdesk}.",
	  "PDF contains a decompression bomb" },
	{ "pdf.ambiguous", "Isi PDF dapat dibaca berbeda oleh penampil yang berbeda (/Length, penanda stream atau tabel xref tidak sesuai isi berkas).",
	  "Cetak ulang dokumen ke PDF baru (Print to PDF) dari aplikasi asalnya, lalu unggah kembali bersama metadata paraf yang baru.",
	  "PDF reads differently in different viewers" },
	{ "pdf.encrypted", "PDF terenkripsi atau dilindungi kata sandi.",
	  "Simpan ulang PDF tanpa kata sandi dan tanpa pembatasan izin (mis. cetak ke PDF baru "
	  "dari aplikasi asalnya), lalu unggah kembali bersama paraf yang baru.",
	  "PDF is encrypted" },
	{ "pdf.too_large", "Ukuran PDF melebihi batas yang diizinkan.",
	  "Perkecil ukuran berkas (kompres gambar) atau hubungi {helpdesk}.", "PDF exceeds the size limit" },

	/* what was dropped */
	{ "input.symlink", "Berkas di folder unggahan berupa tautan (symlink), bukan berkas biasa.",
	  "Salin berkas aslinya ke folder unggahan, bukan tautannya.", "symlink in the spool" },
	{ "input.unsupported", "Jenis berkas tidak didukung di folder unggahan.",
	  "Unggah hanya pasangan <nama>.pdf + <nama>.yaml, atau arsip .zip/.tar.gz berisi pasangan itu.",
	  "unsupported file in the drop folder" },

	{ "input.unpaired", "Metadata paraf (.yaml) tanpa berkas PDF dengan nama yang sama.",
	  "Unggah <nama>.pdf bersama <nama>.yaml di folder yang sama.", "sidecar without its PDF" },
	{ "input.upload_rest", "Berkas ini sisa dari unggahan yang sebelumnya terputus: unggahan itu sudah dikembalikan ke folder failed/ sebagai berkas PDF terpotong (pdf.incomplete), jadi sisanya tidak dapat diproses sendiri.",
	  "Unggah ulang berkas PDF yang utuh sekali lagi dari awal, bersama metadata paraf (.yaml)-nya, ke folder yang sama; jangan hanya mengirim sisanya atau PDF-nya saja.",
	  "the rest of an upload that was taken incomplete (refused before as pdf.incomplete)" },

	/* the paraf sidecar */
	{ "sidecar.missing", "Metadata paraf (berkas .yaml dengan nama yang sama) tidak ditemukan.",
	  "Salin berkas <nama>.yaml bersama <nama>.pdf ke folder yang sama.", "paraf sidecar missing" },
	{ "sidecar.syntax", "Sintaks YAML metadata paraf salah.",
	  "Perbaiki baris dan kolom yang disebut (perhatikan indentasi dan tanda kutip).",
	  "YAML syntax error in sidecar" },
	{ "sidecar.schema", "Versi skema metadata paraf tidak didukung.",
	  "Isi 'schema: 1'.", "unsupported sidecar schema" },
	{ "sidecar.unknown_field", "Kolom metadata paraf tidak dikenal.",
	  "Hapus kolom itu, perbaiki ejaannya, atau beri awalan 'x-' untuk data tambahan.",
	  "unknown sidecar field" },
	{ "sidecar.missing_field", "Kolom wajib metadata paraf tidak ada.",
	  "Tambahkan kolom yang disebut.", "required sidecar field missing" },
	{ "sidecar.type", "Tipe nilai metadata paraf salah.",
	  "Gunakan tipe yang benar (teks dalam tanda kutip, daftar, atau peta).",
	  "wrong type in sidecar" },
	{ "sidecar.value", "Nilai metadata paraf tidak valid.",
	  "Perbaiki nilai sesuai contoh di README.", "invalid sidecar value" },
	{ "sidecar.embedded", "Metadata paraf yang dilampirkan di dalam PDF (sertel-paraf.yaml) tidak dapat digunakan.",
	  "Lampirkan metadata sebagai pembaruan inkremental terakhir pada PDF yang diparaf, tanpa mengubah isi lain, atau sertakan berkas <nama>.yaml di sampingnya.",
	  "the embedded sertel-paraf.yaml cannot be used" },
	{ "doctype.unknown", "Jenis dokumen tidak dikenal.",
	  "Gunakan salah satu jenis dokumen yang terdaftar di konfigurasi sertel.",
	  "unknown document type" },
	{ "doctype.pd_not_allowed", "Jenis dokumen ini tidak dapat diajukan oleh PD (folder) tempat dokumen diunggah.",
	  "Unggah dokumen melalui folder PD yang berwenang, atau periksa kolom 'type'.",
	  "this PD may not submit documents of this type" },
	{ "paraf.missing", "Paraf yang diwajibkan untuk jenis dokumen ini belum lengkap.",
	  "Mintakan paraf pejabat dengan peran yang disebut, sesuai urutannya, sebelum dokumen diunggah.",
	  "a required paraf (role) is missing, or fewer parafs than the type requires" },
	{ "paraf.duplicate", "Satu peran diparaf lebih dari satu kali.",
	  "Sisakan satu paraf untuk setiap peran; hapus paraf yang berulang.",
	  "the same role paraf'd twice" },
	{ "paraf.order", "Urutan waktu paraf tidak sesuai urutan yang diwajibkan untuk jenis dokumen ini.",
	  "Mintakan paraf ulang sesuai urutan yang disebut (pejabat yang lebih dahulu memaraf lebih dahulu).",
	  "paraf times are not in the required order of roles" },
	{ "paraf.official_unknown", "Pemberi paraf (NIP/NIK) tidak terdaftar sebagai pejabat di sertel.",
	  "Periksa NIP/NIK pemberi paraf, atau minta {helpdesk} mendaftarkan pejabat tersebut.",
	  "the paraf's NIP/NIK is not in the officials register" },
	{ "paraf.official_inactive", "Pemberi paraf tercatat tidak aktif (pensiun, mutasi, atau diberhentikan).",
	  "Mintakan paraf kepada pejabat yang sedang menjabat peran tersebut.",
	  "the paraf's official is not active" },
	{ "paraf.role_not_held", "Pemberi paraf tidak memegang peran yang dicantumkan.",
	  "Perbaiki kolom 'role', atau mintakan paraf kepada pejabat yang memegang peran itu.",
	  "the official does not hold the paraf's role" },
	{ "paraf.pd_mismatch", "Pemberi paraf bukan pejabat PD tempat dokumen diunggah.",
	  "Mintakan paraf kepada pejabat PD ini, atau unggah dokumen melalui folder PD yang benar.",
	  "the official does not belong to the document's PD" },
	{ "paraf.name_mismatch", "Nama pemberi paraf tidak sesuai dengan daftar pejabat untuk NIP/NIK tersebut.",
	  "Tulis nama persis seperti di daftar pejabat, atau periksa NIP/NIK-nya.",
	  "the paraf's name differs from the register's for that NIP" },
	{ "paraf.time_future", "Waktu paraf berada di masa depan.",
	  "Periksa tanggal, jam, dan zona waktu paraf (WIB +07:00, WITA +08:00, WIT +09:00).",
	  "paraf time is in the future" },
	{ "paraf.time_after_drop", "Waktu paraf sesudah dokumen diunggah untuk ditandatangani.",
	  "Paraf harus diberikan sebelum dokumen diunggah: periksa waktu dan zona waktunya, lalu unggah ulang.",
	  "paraf time is after the document was dropped" },
	{ "paraf.hash_mismatch",
	  "Paraf tidak diberikan pada berkas ini: SHA-256 yang diparaf berbeda dengan SHA-256 PDF.",
	  "Pastikan PDF yang diunggah persis sama dengan draf yang diparaf, atau mintakan paraf ulang pada berkas terbaru.",
	  "paraf hash does not match the PDF" },

	/* the signer */
	{ "signer.unknown", "Penandatangan (NIP/NIK) tidak terdaftar di sertel.",
	  "Periksa NIP penandatangan atau minta {helpdesk} mendaftarkannya.", "signer not configured" },
	{ "signer.inactive", "Penandatangan tercatat tidak aktif (pensiun, mutasi, atau diberhentikan).",
	  "Pilih penandatangan lain yang sedang menjabat, atau hubungi {helpdesk}.",
	  "the signer is not active" },
	{ "signer.not_allowed", "Penandatangan tidak berwenang menandatangani jenis dokumen ini.",
	  "Pilih penandatangan yang berwenang (lihat rincian), atau periksa kolom 'type'.",
	  "the signer may not sign documents of this type" },
	{ "signer.keystore", "Sertifikat elektronik penandatangan tidak dapat dibuka (keystore atau kata sandi salah).",
	  "Hubungi {helpdesk} untuk memeriksa keystore dan kata sandi penandatangan.",
	  "signer keystore cannot be opened" },
	{ "signer.cert_invalid", "Sertifikat elektronik penandatangan tidak berlaku (kedaluwarsa, belum berlaku, atau dicabut).",
	  "Ajukan pembaruan sertifikat elektronik ke {helpdesk}.", "signer certificate not valid" },
	{ "signer.identity", "Sertifikat elektronik yang dipasang untuk penandatangan ini diterbitkan "
	  "atas nama orang lain (nama atau NIP pada sertifikat berbeda).",
	  "Hubungi {helpdesk}: keystore penandatangan harus berisi sertifikat atas nama dan NIP "
	  "penandatangan sendiri.", "the signer's certificate names another person" },
	{ "signer.unregistered", "Sertifikat elektronik penandatangan tidak terdaftar (atau tidak lagi "
	  "berlaku) di registri sertifikat {helpdesk}.",
	  "Hubungi {helpdesk}: sertifikat harus diajukan dan diimpor melalui registri (sertel cert), "
	  "atau keystore perlu diganti dengan sertifikat yang baru.",
	  "the signer's certificate is not the registry's current one" },
	{ "signer.expired", "Masa berlaku sertifikat elektronik penandatangan telah berakhir.",
	  "Ajukan pembaruan sertifikat (sertel cert renew) ke {helpdesk}, atau pilih penandatangan lain.",
	  "the signer's certificate has expired (registry)" },
	{ "signer.not_yet_valid", "Sertifikat elektronik penandatangan belum mulai berlaku.",
	  "Unggah kembali dokumen setelah tanggal mulai berlaku sertifikat, atau hubungi {helpdesk}.",
	  "the signer's certificate is not yet valid (registry)" },
	{ "signer.revoked", "Sertifikat elektronik penandatangan telah dicabut dan tidak dapat dipakai lagi.",
	  "Penandatangan perlu mengajukan sertifikat baru ke {helpdesk}, atau pilih penandatangan lain.",
	  "the signer's certificate is revoked (registry)" },
	{ "signer.suspended", "Sertifikat elektronik penandatangan sedang ditangguhkan (reset kata sandi "
	  "belum selesai).",
	  "Selesaikan reset kata sandi di {helpdesk} (keystore baru diimpor), lalu unggah kembali dokumen.",
	  "the signer's certificate is suspended (registry)" },

	/* the visual mark */
	{ "mark.anchor_missing", "Teks penanda posisi tanda tangan (anchor, mis. ${ttd}) tidak "
	  "ditemukan di dokumen, atau sudah tertutup tanda tangan sebelumnya.",
	  "Ketik teks penanda persis seperti yang disebut di tempat tanda tangan pada draf "
	  "(sebagai teks, bukan gambar), simpan ulang PDF, lalu unggah kembali dengan paraf baru.",
	  "the anchor text of the mark is not on any page" },
	{ "mark.placement", "Tanda visual (QR code/barcode/teks) tidak muat di halaman yang "
	  "ditentukan.",
	  "Periksa jumlah dan ukuran halaman dokumen; bila dokumen benar, minta {helpdesk} "
	  "menyesuaikan pengaturan marks di konfigurasi sertel.",
	  "the mark does not fit where its profile puts it" },
	{ "mark.image", "Gambar untuk tanda visual (spesimen tanda tangan atau logo) tidak dapat "
	  "dibaca.",
	  "Dokumen tidak perlu diubah: laporkan ke {helpdesk} agar berkas gambar di konfigurasi "
	  "diperbaiki (PNG atau JPEG).", "the image of the mark cannot be decoded" },

	/* the spool */
	{ "doc.duplicate", "Dokumen yang sama (berkas dan metadata identik) sudah pernah ditandatangani.",
	  "Tidak perlu diunggah ulang; gunakan dokumen bertanda tangan dengan ID yang disebut.",
	  "document already signed" },
	{ "doc.deleted", "Dokumen yang sama sudah pernah ditandatangani lalu dihapus melalui berita acara.",
	  "Dokumen yang dihapus tidak ditandatangani ulang; ajukan sebagai dokumen baru (PDF yang diperbaiki) bila masih diperlukan.",
	  "document was signed and then deleted" },
	/* berita acara of deletion (Lampiran III), read by records officers */
	{ "deletion.syntax", "Sintaks YAML berita acara penghapusan salah.",
	  "Perbaiki baris dan kolom yang disebut.", "YAML syntax error in a berita acara" },
	{ "deletion.unknown_key", "Kunci berita acara tidak dikenal.",
	  "Hapus kunci itu atau perbaiki ejaannya (kunci tambahan diawali x-).", "unknown key in a berita acara" },
	{ "deletion.missing", "Isian wajib berita acara tidak ada.",
	  "Lengkapi isian yang disebut.", "required berita acara field missing" },
	{ "deletion.type", "Tipe isian berita acara salah.",
	  "Gunakan tipe yang diminta (lihat README).", "wrong type in a berita acara" },
	{ "deletion.value", "Nilai isian berita acara tidak valid.",
	  "Perbaiki nilai sesuai README.", "invalid berita acara value" },
	{ "deletion.officer_unknown", "Pemohon (NIP) tidak terdaftar sebagai pejabat.",
	  "Periksa NIP pemohon atau minta {helpdesk} mendaftarkannya.", "requester not in the register" },
	{ "deletion.officer_inactive", "Pemohon tidak aktif lagi.",
	  "Berita acara diajukan oleh petugas arsip yang masih aktif.", "requester inactive" },
	{ "deletion.not_officer", "Pemohon bukan petugas arsip yang berwenang mengajukan penghapusan.",
	  "Ajukan melalui petugas arsip perangkat daerah.", "requester is not a records officer" },
	{ "deletion.officer_pd", "Pemohon bukan petugas arsip perangkat daerah pemilik dokumen.",
	  "Penghapusan hanya untuk dokumen perangkat daerah pemohon sendiri.", "requester not of the documents' PD" },
	{ "deletion.id_unknown", "ID dokumen tidak dikenal.",
	  "Periksa ID dokumen (16 karakter) pada tanda tangan elektroniknya.", "unknown document ID" },
	{ "deletion.id_deleted", "Dokumen sudah dihapus sebelumnya.",
	  "Hapus baris itu dari berita acara.", "document already deleted" },
	{ "deletion.id_twice", "ID dokumen tercantum lebih dari satu kali.",
	  "Cantumkan setiap ID satu kali saja.", "document ID listed twice" },
	{ "deletion.count", "Jumlah dokumen (angka) tidak sama dengan isi tabel.",
	  "Sesuaikan jumlah dengan banyaknya baris tabel.", "count in figures does not match the table" },
	{ "deletion.count_words", "Jumlah dokumen (huruf) tidak sesuai dengan jumlah dalam angka.",
	  "Tulis jumlah dalam huruf sesuai angkanya, mis. \"sepuluh\".", "count in words does not match" },
	{ "deletion.reason_empty", "Alasan penghapusan kosong.",
	  "Isi alasan penghapusan untuk setiap dokumen.", "empty reason" },
	{ "deletion.id_state", "Dokumen tidak lagi tersimpan saat penghapusan dilaksanakan; tidak ada yang dihapus.",
	  "Periksa dokumen yang disebut lalu ajukan ulang berita acara.", "a document changed before the commit" },
	{ "deletion.duplicate", "Berita acara ini sudah pernah dilaksanakan.",
	  "Tidak perlu diajukan ulang; lihat tanda terima sebelumnya.", "berita acara carried out before" },
	{ "deletion.id_record", "ID ini adalah berita acara penghapusan; bukti penghapusan tidak dapat dihapus.",
	  "Hapus baris ID tersebut dari berita acara.", "a berita acara cannot be deleted" },
	{ "deletion.lampiran", "Lampiran (pindaian formulir berita acara) tidak ada, tidak terbaca, atau bukan PDF.",
	  "Lampirkan pindaian formulir yang ditandatangani sebagai berkas PDF yang utuh.", "the scanned form is missing or not a PDF" },
	{ "bundle.corrupt", "Arsip (.zip/.tar.gz) rusak atau formatnya tidak didukung.",
	  "Buat ulang arsip dalam format .zip atau .tar.gz.", "bundle cannot be read" },
	{ "bundle.unsafe_entry", "Arsip berisi entri yang tidak aman (path absolut, '..', tautan, atau berkas perangkat).",
	  "Buat ulang arsip hanya berisi berkas PDF dan YAML biasa, tanpa folder bertingkat atau tautan.",
	  "bundle has an unsafe entry" },
	{ "bundle.limit", "Arsip melebihi batas jumlah berkas atau ukuran.",
	  "Pecah arsip menjadi beberapa arsip yang lebih kecil.", "bundle exceeds limits" },
	{ "bundle.conflict", "Arsip berisi berkas dengan nama yang sudah ada di folder unggahan.",
	  "Ganti nama berkas di dalam arsip atau tunggu berkas sebelumnya selesai diproses.",
	  "bundle member name already in use" },
	{ "bundle.unpaired", "Arsip berisi berkas tanpa pasangan PDF/YAML atau berkas selain PDF dan YAML.",
	  "Pastikan setiap <nama>.pdf disertai <nama>.yaml dan tidak ada berkas lain.",
	  "bundle member without its pair" },

	/* processing */
	{ "worker.crashed", "Pemrosesan dokumen gagal berulang kali (proses pekerja berhenti tak terduga).",
	  "Simpan ulang PDF dari aplikasi asalnya dan unggah kembali; bila berulang, laporkan ke {helpdesk}.",
	  "worker crashed on this document" },
	{ "worker.timeout", "Pemrosesan dokumen melebihi batas waktu atau memori.",
	  "Periksa PDF (mungkin terlalu rumit atau rusak), simpan ulang, dan unggah kembali.",
	  "worker timed out or ran out of memory on this document" },
	{ "timestamp.unavailable", "Layanan cap waktu (TSA) tidak dapat dihubungi, sehingga tanda tangan belum dapat diberi cap waktu.",
	  "Dokumen tidak perlu diubah: unggah ulang dokumen ini nanti; bila berulang, laporkan ke {helpdesk}.",
	  "no TSA could be reached (down, timed out, HTTP error)" },
	{ "timestamp.invalid", "Layanan cap waktu (TSA) memberi jawaban yang tidak sah (cap waktu tidak dapat diverifikasi).",
	  "Dokumen tidak perlu diubah: laporkan ke {helpdesk} dengan menyebut ID dokumen, lalu unggah ulang setelah diperbaiki.",
	  "a TSA answered, but with no valid timestamp token" },
	{ "pdf.certified_locked", "Dokumen ini sudah disertifikasi oleh penanda tangan pertama "
	  "tanpa izin perubahan apa pun, sehingga tanda tangan baru akan merusak sertifikasinya.",
	  "Tanda tangan tambahan harus dibubuhkan sebelum sertifikasi: minta dokumen yang belum "
	  "disertifikasi, atau jenis dokumen dengan certify 2 atau 3.",
	  "the document is certified with DocMDP P=1: no signature may be added" },
	{ "pdf.signature_broken", "Tanda tangan elektronik yang sudah ada pada dokumen ini tidak "
	  "utuh: dokumen telah diubah setelah ditandatangani, atau tanda tangannya rusak.",
	  "Minta berkas asli yang sudah ditandatangani kepada penanda tangan sebelumnya (jangan "
	  "disimpan ulang atau diedit), lalu unggah kembali bersama metadatanya.",
	  "an earlier signature of the input no longer verifies" },
	{ "sign.unverified", "Dokumen yang sudah ditandatangani tidak lolos pemeriksaan ulang "
	  "tanda tangan, sehingga tidak diserahkan.",
	  "Dokumen tidak perlu diubah: laporkan ke {helpdesk} dengan menyebut ID dokumen.",
	  "the signed output failed sertel's own verification and was not released" },
	{ "sign.failed", "Penandatanganan elektronik gagal.",
	  "Laporkan ke {helpdesk} dengan menyebut ID dokumen.", "signing failed" },
	{ "io.error", "Terjadi kesalahan baca/tulis berkas di server.",
	  "Laporkan ke {helpdesk}.", "I/O error" },
	{ NULL, NULL, NULL, NULL }
};

static const struct err_info internal = {
	"internal", "Terjadi kesalahan internal.", "Laporkan ke {helpdesk}.", "internal error"
};

const struct err_info *
err_info(const char *code)
{
	const struct err_info *i;

	for (i = table; code && i->code; i++)
		if (strcmp(i->code, code) == 0)
			return i;
	return &internal;
}

/* The helpdesk's name for {helpdesk}: one per process, set from its configuration. */
static char helpdesk[128] = "Diskominfo";

void
err_set_helpdesk(const char *name)
{
	snprintf(helpdesk, sizeof helpdesk, "%s", name && *name ? name : "Diskominfo");
}

const char *
err_text(const char *s, char *buf, size_t cap)
{
	static const char key[] = "{helpdesk}";
	const char *p;
	size_t n = 0;
	int w;

	if (!s || !strstr(s, key))
		return s;
	buf[0] = '\0';
	while (n < cap && (p = strstr(s, key)) != NULL) {
		w = snprintf(buf + n, cap - n, "%.*s%s", (int)(p - s), s, helpdesk);
		n += w > 0 ? (size_t)w : 0;
		s = p + sizeof key - 1;
	}
	if (n < cap)
		snprintf(buf + n, cap - n, "%s", s);
	return buf;
}

const struct err_info *
err_table(void)
{
	return table;
}
