//! Prints each text block of a page with what extraction does with it.
//!
//!     cargo run -p tapis-html --example explain_page -- PAGE.html[.gz]

use std::io::Read;

fn main() {
    let path = std::env::args().nth(1).expect("usage: explain_page PAGE");
    let mut bytes = Vec::new();
    let file = std::fs::File::open(&path).expect("open");
    if path.ends_with(".gz") {
        flate2::read::MultiGzDecoder::new(file)
            .read_to_end(&mut bytes)
            .expect("gunzip");
    } else {
        std::io::BufReader::new(file)
            .read_to_end(&mut bytes)
            .expect("read");
    }
    let decoded = tapis_html::charset::decode(&bytes, None, None);
    let dom = tapis_html::dom::parse(&decoded.text);
    let fates = tapis_html::extract::block_fates(&dom);
    for (block, fate) in dom.blocks.iter().zip(fates) {
        let element = &dom.elements[block.element as usize];
        let place = format!("{:?} [{}]", element.tag, dom.words(block.element));
        let text: String = dom.block_text(block).chars().take(100).collect();
        println!("{:<24} {place:<40.40} | {text}", format!("{fate:?}"));
    }
}
